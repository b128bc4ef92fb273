package io.kv.audit.jdbc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One row of the audit table as written and read. The nullable fields are null where the table
 * holds NULL: {@code action} on anchors, {@code namespace}, {@code key} and {@code errorKind}
 * when the record has none, {@code lastAtMillis} on all but summary rows, the {@code anchor...}
 * fields on all but ANCHOR rows. {@code readCount} is 1 except on a summary row, which stands for
 * that many reads of one group, the first at {@code atMillis} and the last at {@code lastAtMillis}.
 */
record Row(
    String chain,
    long seq,
    String kind,
    long atMillis,
    String principal,
    String action,
    String namespace,
    String key,
    boolean success,
    String errorKind,
    long readCount,
    Long lastAtMillis,
    String anchorChain,
    Long anchorSeq,
    String anchorHash,
    String prevHash,
    String hash) {

  /** An audited operation. */
  static final String RECORD = "RECORD";
  /** The first row of a chain, sequence 0, linked to {@link #GENESIS}. */
  static final String START = "START";
  /** Says where another chain (or this one) starts after retention deleted its oldest rows. */
  static final String ANCHOR = "ANCHOR";
  /** The previous hash of a chain's first row. */
  static final String GENESIS = "0".repeat(64);

  private static final byte[] MAGIC = "kv-audit/1".getBytes(StandardCharsets.US_ASCII);

  /** A row of no chain yet, holding what one record says (with its count of reads). */
  static Row draft(String kind, long atMillis, String principal, String action, String namespace, String key,
      boolean success, String errorKind, long readCount, Long lastAtMillis) {
    return new Row(null, 0, kind, atMillis, principal, action, namespace, key, success, errorKind, readCount,
        lastAtMillis, null, null, null, null, null);
  }

  /** A START or ANCHOR row of no chain yet, by the system principal. */
  static Row marker(String kind, long atMillis, String principal, String anchorChain, Long anchorSeq,
      String anchorHash) {
    return new Row(null, 0, kind, atMillis, principal, null, null, null, true, null, 1, null, anchorChain,
        anchorSeq, anchorHash, null, null);
  }

  /** This row placed at {@code seq} of {@code chain} after the row whose hash is {@code prevHash}, sealed. */
  Row placed(String chain, long seq, String prevHash, MessageDigest sha256) {
    return new Row(chain, seq, kind, atMillis, principal, action, namespace, key, success, errorKind, readCount,
        lastAtMillis, anchorChain, anchorSeq, anchorHash, prevHash, null).sealed(sha256);
  }

  /** This row with its hash computed from its fields, the one written to the table. */
  Row sealed(MessageDigest sha256) {
    return new Row(chain, seq, kind, atMillis, principal, action, namespace, key, success, errorKind, readCount,
        lastAtMillis, anchorChain, anchorSeq, anchorHash, prevHash, computeHash(sha256));
  }

  /**
   * SHA-256 of the canonical form, as 64 lowercase hex digits. The canonical form is, in this
   * order: the 10 ASCII bytes {@code kv-audit/1}; chain; seq; kind; at; principal; action;
   * namespace; key; success; error kind; read count; last at; anchor chain; anchor seq; anchor
   * hash; previous hash.
   * A string is its UTF-8 length as a 4-byte big-endian int then its UTF-8 bytes, an absent
   * string the int -1; a number is 8 bytes big-endian; an optional number is a byte 0 (absent)
   * or 1 then the number; a boolean is one byte 0 or 1. Every field has its length or a fixed
   * size, so no two different rows share a canonical form.
   */
  String computeHash(MessageDigest sha256) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(MAGIC);
    text(out, chain);
    number(out, seq);
    text(out, kind);
    number(out, atMillis);
    text(out, principal);
    text(out, action);
    text(out, namespace);
    text(out, key);
    out.write(success ? 1 : 0);
    text(out, errorKind);
    number(out, readCount);
    optionalNumber(out, lastAtMillis);
    text(out, anchorChain);
    optionalNumber(out, anchorSeq);
    text(out, anchorHash);
    text(out, prevHash);
    sha256.reset();
    return HexFormat.of().formatHex(sha256.digest(out.toByteArray()));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static void text(ByteArrayOutputStream out, String s) {
    if (s == null) {
      number4(out, -1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    number4(out, b.length);
    out.writeBytes(b);
  }

  private static void optionalNumber(ByteArrayOutputStream out, Long n) {
    if (n == null) {
      out.write(0);
    } else {
      out.write(1);
      number(out, n);
    }
  }

  private static void number4(ByteArrayOutputStream out, int n) {
    out.write(n >>> 24);
    out.write(n >>> 16);
    out.write(n >>> 8);
    out.write(n);
  }

  private static void number(ByteArrayOutputStream out, long n) {
    number4(out, (int) (n >>> 32));
    number4(out, (int) n);
  }
}
