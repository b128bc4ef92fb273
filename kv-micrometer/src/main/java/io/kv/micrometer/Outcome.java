package io.kv.micrometer;

import io.kv.AlreadyExistsException;
import io.kv.NotFoundException;
import io.kv.PermissionDeniedException;
import io.kv.StateConflictException;
import io.kv.VersionConflictException;

/** How an operation ended; {@link #tag} is the value of the {@code outcome} tag. */
enum Outcome {
  SUCCESS("success"),
  NOT_FOUND("not_found"),
  CONFLICT("conflict"),
  DENIED("denied"),
  ERROR("error");

  final String tag;

  Outcome(String tag) {
    this.tag = tag;
  }

  /** The outcome of an operation that threw {@code failure}. */
  static Outcome of(Throwable failure) {
    if (failure instanceof NotFoundException) {
      return NOT_FOUND;
    }
    if (failure instanceof VersionConflictException || failure instanceof AlreadyExistsException
        || failure instanceof StateConflictException) {
      return CONFLICT;
    }
    if (failure instanceof PermissionDeniedException) {
      return DENIED;
    }
    return ERROR;
  }
}
