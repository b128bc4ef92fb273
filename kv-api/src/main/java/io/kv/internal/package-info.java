/**
 * Not API: access between kv's own modules that the public types must not offer. On the module
 * path this package is exported to kv's modules alone; on the class path nothing stops a caller,
 * but nothing here is covered by any compatibility promise and it may change in any release.
 */
package io.kv.internal;
