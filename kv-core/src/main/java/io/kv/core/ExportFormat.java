package io.kv.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kv.ChangeType;
import io.kv.Entry;
import io.kv.InputRules;
import io.kv.InvalidInputException;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Principal;
import io.kv.Value;
import io.kv.ValueType;
import io.kv.VersionRecord;
import io.kv.WriteOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The kv export file, format version 1: JSON Lines, one object per line. See {@code
 * kv-core/EXPORT.md} and {@link KvExport} for the layout. Writes lines, and reads a whole file
 * into memory, checking every line. Error messages name the line and the field, never a value.
 * Stateless and thread-safe.
 */
final class ExportFormat {
  static final String FORMAT = "kv-export";
  static final int VERSION = 1;

  /** Values are long strings (base64 of up to the store's value limit, in every history record). */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(JsonFactory.builder()
              .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
              .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
  /** The syntax of names and keys only; the target store applies its own size limits. */
  private static final InputRules SYNTAX = InputRules.defaults().withMaxKeyBytes(Integer.MAX_VALUE)
      .withMaxNamespaceLength(Integer.MAX_VALUE).withMaxMetadataBytes(Integer.MAX_VALUE);

  /** A namespace declaration read from line {@code line}. */
  record NamespaceLine(long line, Namespace namespace) {}

  /**
   * An entry read from line {@code line}: the entry, its history (newest first, possibly
   * empty), and whether its values are encryption envelopes as stored at rest.
   */
  record EntryLine(long line, Entry entry, List<VersionRecord> history, boolean encrypted) {}

  /** A whole file, checked. */
  record Contents(Instant exportedAt, List<NamespaceLine> namespaces, List<EntryLine> entries) {}

  private ExportFormat() {}

  // ---------------------------------------------------------------- writing

  static void writeHeader(Writer out, Instant exportedAt) throws IOException {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("format", FORMAT);
    n.put("version", VERSION);
    n.put("exportedAt", exportedAt.toString());
    write(out, n);
  }

  static void writeNamespace(Writer out, Namespace ns) throws IOException {
    NamespaceSettings s = ns.settings();
    ObjectNode n = MAPPER.createObjectNode();
    n.put("kind", "namespace");
    n.put("name", ns.name());
    ObjectNode settings = n.putObject("settings");
    settings.put("description", s.description());
    settings.put("owner", s.owner());
    settings.put("secret", s.secret());
    if (s.defaultTtl().isPresent()) {
      settings.put("defaultTtl", s.defaultTtl().get().toString());
    } else {
      settings.putNull("defaultTtl");
    }
    settings.put("maxVersions", s.maxVersions());
    n.put("createdAt", ns.createdAt().toString());
    n.put("updatedAt", ns.updatedAt().toString());
    write(out, n);
  }

  static void writeEntry(Writer out, Entry e, List<VersionRecord> history, boolean encrypted) throws IOException {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("kind", "entry");
    n.put("namespace", e.namespace());
    n.put("key", e.key());
    n.put("type", e.value().type().name());
    n.put("value", encode(e.value()));
    n.put("encrypted", encrypted);
    n.put("version", e.version());
    n.put("createdAt", e.createdAt().toString());
    n.put("updatedAt", e.updatedAt().toString());
    if (e.expiresAt().isPresent()) {
      n.put("expiresAt", e.expiresAt().get().toString());
    } else {
      n.putNull("expiresAt");
    }
    ObjectNode metadata = n.putObject("metadata");
    new TreeMap<>(e.metadata()).forEach(metadata::put);
    ArrayNode tags = n.putArray("tags");
    new TreeSet<>(e.tags()).forEach(tags::add);
    ArrayNode records = n.putArray("history");
    for (VersionRecord r : history) {
      ObjectNode h = records.addObject();
      h.put("version", r.version());
      h.put("type", r.value().type().name());
      h.put("value", encode(r.value()));
      h.put("change", r.change().name());
      h.put("changedBy", r.changedBy().name());
      h.put("changedAt", r.changedAt().toString());
      if (r.reason().isPresent()) {
        h.put("reason", r.reason().get());
      } else {
        h.putNull("reason");
      }
    }
    write(out, n);
  }

  static void writeEnd(Writer out, int namespaces, long entries) throws IOException {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("kind", "end");
    n.put("namespaces", namespaces);
    n.put("entries", entries);
    write(out, n);
  }

  private static void write(Writer out, ObjectNode node) throws IOException {
    // Jackson escapes every control character in strings, so a line never breaks inside a value.
    out.write(MAPPER.writeValueAsString(node));
    out.write('\n');
  }

  private static String encode(Value v) {
    return v.type() == ValueType.BINARY ? Base64.getEncoder().encodeToString(v.bytes()) : v.asString();
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads and checks a whole file.
   *
   * @throws ExportFormatException naming the first line that breaks the format
   * @throws IOException if reading fails
   */
  static Contents read(BufferedReader in) throws IOException {
    String text = in.readLine();
    if (text == null) {
      throw new ExportFormatException(1, "the file is empty; expected the header {\"format\":\"kv-export\",...}");
    }
    Line header = Line.parse(1, text);
    if (!FORMAT.equals(header.node.path("format").textValue())) {
      throw new ExportFormatException(1, "not a kv export: the first line must be the header {\"format\":\"kv-export\",...}");
    }
    long version = header.longField("version");
    if (version != VERSION) {
      throw new ExportFormatException(1, "unsupported export format version " + version + "; this kv reads version " + VERSION);
    }
    Instant exportedAt = header.instant("exportedAt");

    List<NamespaceLine> namespaces = new ArrayList<>();
    List<EntryLine> entries = new ArrayList<>();
    Map<String, Long> namespaceLines = new HashMap<>();
    Map<String, Long> entryLines = new HashMap<>();
    long no = 1;
    boolean ended = false;
    while ((text = in.readLine()) != null) {
      no++;
      if (text.isBlank()) {
        continue;
      }
      if (ended) {
        throw new ExportFormatException(no, "content after the end line");
      }
      Line line = Line.parse(no, text);
      String kind = line.text("kind");
      switch (kind) {
        case "namespace":
          NamespaceLine ns = line.namespace();
          Long first = namespaceLines.putIfAbsent(ns.namespace().name(), no);
          if (first != null) {
            throw new ExportFormatException(no, "namespace declared twice (first on line " + first + ")");
          }
          namespaces.add(ns);
          break;
        case "entry":
          EntryLine e = line.entry();
          Long firstEntry = entryLines.putIfAbsent(e.entry().namespace() + "\u0000" + e.entry().key(), no);
          if (firstEntry != null) {
            throw new ExportFormatException(no, "entry appears twice (first on line " + firstEntry + ")");
          }
          entries.add(e);
          break;
        case "end":
          long declared = line.longField("namespaces");
          long written = line.longField("entries");
          if (declared != namespaces.size() || written != entries.size()) {
            throw new ExportFormatException(no, "the end line counts " + declared + " namespaces and " + written
                + " entries, but the file holds " + namespaces.size() + " and " + entries.size());
          }
          ended = true;
          break;
        default:
          throw new ExportFormatException(no, "field 'kind' must be namespace, entry or end");
      }
    }
    if (!ended) {
      throw new ExportFormatException(no + 1, "the file ends without its end line: it is incomplete (an export cut short?)");
    }
    return new Contents(exportedAt, Collections.unmodifiableList(namespaces), Collections.unmodifiableList(entries));
  }

  /** One parsed line, with typed accessors that report errors by line and field. */
  private static final class Line {
    final long no;
    final JsonNode node;

    private Line(long no, JsonNode node) {
      this.no = no;
      this.node = node;
    }

    static Line parse(long no, String text) {
      JsonNode node;
      try {
        node = MAPPER.readTree(text);
      } catch (JsonProcessingException e) {
        // Jackson's message quotes the input: keep only where it failed.
        long column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
        throw new ExportFormatException(no, "not valid JSON" + (column > 0 ? " (at column " + column + ")" : ""));
      }
      if (node == null || !node.isObject()) {
        throw new ExportFormatException(no, "must be one JSON object");
      }
      return new Line(no, node);
    }

    NamespaceLine namespace() {
      String name = text("name");
      check("name", () -> SYNTAX.checkNamespace(name));
      JsonNode s = child("settings");
      if (!s.isObject()) {
        throw error("settings", "must be an object");
      }
      Line settings = new Line(no, s);
      Optional<Duration> ttl = settings.optionalText("settings.", "defaultTtl").map(t -> {
        try {
          return Duration.parse(t);
        } catch (DateTimeParseException e) {
          throw error("settings.defaultTtl", "must be an ISO-8601 duration such as PT1H");
        }
      });
      String description = settings.text("settings.", "description");
      String owner = settings.text("settings.", "owner");
      boolean secret = settings.bool("settings.", "secret");
      long maxVersions = settings.longField("settings.", "maxVersions");
      NamespaceSettings parsed = checked("settings", () -> new NamespaceSettings(description, owner, secret, ttl,
          (int) Math.max(-1, Math.min(maxVersions, Integer.MAX_VALUE))));
      Instant createdAt = instant("createdAt");
      Instant updatedAt = instant("updatedAt");
      return new NamespaceLine(no, new Namespace(name, parsed, createdAt, updatedAt));
    }

    EntryLine entry() {
      String namespace = text("namespace");
      check("namespace", () -> SYNTAX.checkNamespace(namespace));
      String key = text("key");
      check("key", () -> SYNTAX.checkKey(key));
      Value value = value("");
      boolean encrypted = bool("encrypted");
      long version = positive("version");
      Instant createdAt = instant("createdAt");
      Instant updatedAt = instant("updatedAt");
      Optional<Instant> expiresAt = optionalText("expiresAt").map(t -> instantOf("expiresAt", t));
      Map<String, String> metadata = metadata();
      Set<String> tags = tags();
      check("metadata", () -> SYNTAX.checkOptions(WriteOptions.none().withMetadata(metadata).withTags(tags)));
      if (updatedAt.isBefore(createdAt)) {
        throw error("updatedAt", "must not be before createdAt");
      }
      Entry entry = new Entry(namespace, key, value, version, createdAt, updatedAt, expiresAt, metadata, tags);
      List<VersionRecord> history = history(version);
      if (encrypted) {
        if (value.type() != ValueType.BINARY || history.stream().anyMatch(r -> r.value().type() != ValueType.BINARY)) {
          throw error("encrypted", "is true, so every value of the entry must be of type BINARY");
        }
      }
      return new EntryLine(no, entry, history, encrypted);
    }

    private List<VersionRecord> history(long entryVersion) {
      JsonNode h = node.get("history");
      if (h == null || h.isNull()) {
        return List.of();
      }
      if (!h.isArray()) {
        throw error("history", "must be an array");
      }
      List<VersionRecord> out = new ArrayList<>(h.size());
      long previous = entryVersion + 1;
      int i = -1;
      for (JsonNode r : h) {
        i++;
        String at = "history[" + i + "].";
        if (!r.isObject()) {
          throw error("history[" + i + "]", "must be an object");
        }
        Line rec = new Line(no, r);
        long version = rec.positive(at, "version");
        if (i == 0 && version != entryVersion) {
          throw error(at + "version", "must be the entry's own version " + entryVersion + " in the first (newest) record");
        }
        if (version >= previous) {
          throw error(at + "version", "must be lower than the version of the record before it (newest first)");
        }
        previous = version;
        Value value = rec.value(at);
        ChangeType change = rec.change(at);
        Principal changedBy = checked(at + "changedBy", () -> Principal.of(rec.text(at, "changedBy")));
        Instant changedAt = rec.instant(at, "changedAt");
        Optional<String> reason = rec.optionalText(at, "reason");
        out.add(checked(at + "reason", () -> new VersionRecord(version, value, change, changedBy, changedAt, reason)));
      }
      return Collections.unmodifiableList(out);
    }

    private ChangeType change(String at) {
      String c = text(at, "change");
      for (ChangeType t : List.of(ChangeType.CREATED, ChangeType.UPDATED, ChangeType.ROTATED, ChangeType.ROLLED_BACK)) {
        if (t.name().equals(c)) {
          return t;
        }
      }
      throw error(at + "change", "must be CREATED, UPDATED, ROTATED or ROLLED_BACK");
    }

    private Value value(String at) {
      String typeName = text(at, "type");
      ValueType type = null;
      for (ValueType t : ValueType.values()) {
        if (t.name().equals(typeName)) {
          type = t;
        }
      }
      if (type == null) {
        throw error(at + "type", "must be STRING, JSON, NUMBER, BOOLEAN or BINARY");
      }
      String text = text(at, "value");
      byte[] bytes;
      if (type == ValueType.BINARY) {
        try {
          bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
          // The decoder's message quotes the offending character.
          throw error(at + "value", "must be standard base64 for a BINARY value");
        }
      } else {
        bytes = text.getBytes(StandardCharsets.UTF_8);
      }
      byte[] b = bytes;
      ValueType t = type;
      return checked(at + "value", () -> Value.of(t, b));
    }

    private Map<String, String> metadata() {
      JsonNode m = node.get("metadata");
      if (m == null || m.isNull()) {
        return Map.of();
      }
      if (!m.isObject()) {
        throw error("metadata", "must be an object of strings");
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> f : m.properties()) {
        if (!f.getValue().isTextual()) {
          throw error("metadata", "must be an object of strings");
        }
        out.put(f.getKey(), f.getValue().textValue());
      }
      return out;
    }

    private Set<String> tags() {
      JsonNode t = node.get("tags");
      if (t == null || t.isNull()) {
        return Set.of();
      }
      if (!t.isArray()) {
        throw error("tags", "must be an array of strings");
      }
      Set<String> out = new LinkedHashSet<>();
      for (JsonNode tag : t) {
        if (!tag.isTextual()) {
          throw error("tags", "must be an array of strings");
        }
        out.add(tag.textValue());
      }
      return out;
    }

    String text(String field) {
      return text("", field);
    }

    private String text(String at, String field) {
      JsonNode v = node.get(field);
      if (v == null || !v.isTextual()) {
        throw error(at + field, "must be a string");
      }
      return v.textValue();
    }

    private Optional<String> optionalText(String field) {
      return optionalText("", field);
    }

    private Optional<String> optionalText(String at, String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return Optional.empty();
      }
      if (!v.isTextual()) {
        throw error(at + field, "must be a string or null");
      }
      return Optional.of(v.textValue());
    }

    private boolean bool(String field) {
      return bool("", field);
    }

    private boolean bool(String at, String field) {
      JsonNode v = node.get(field);
      if (v == null || !v.isBoolean()) {
        throw error(at + field, "must be true or false");
      }
      return v.booleanValue();
    }

    long longField(String field) {
      return longField("", field);
    }

    private long longField(String at, String field) {
      JsonNode v = node.get(field);
      if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
        throw error(at + field, "must be a whole number");
      }
      return v.longValue();
    }

    private long positive(String field) {
      return positive("", field);
    }

    private long positive(String at, String field) {
      long v = longField(at, field);
      if (v < 1) {
        throw error(at + field, "must be at least 1");
      }
      return v;
    }

    Instant instant(String field) {
      return instant("", field);
    }

    private Instant instant(String at, String field) {
      return instantOf(at + field, text(at, field));
    }

    private Instant instantOf(String field, String text) {
      Instant i;
      try {
        i = Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw error(field, "must be an ISO-8601 instant such as 2030-01-01T00:00:00Z");
      }
      if (i.isBefore(EARLIEST) || i.isAfter(LATEST)) {
        throw error(field, "must be between years 0000 and 9999");
      }
      return i;
    }

    private JsonNode child(String field) {
      JsonNode v = node.get(field);
      if (v == null) {
        throw error(field, "is missing");
      }
      return v;
    }

    /** Runs a check of the kv API, turning its refusal into an error of this line. */
    private <T> T checked(String field, Supplier<T> check) {
      try {
        return check.get();
      } catch (InvalidInputException e) {
        // Its message names the rule, never the value.
        throw error(field, "is not valid: " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw error(field, "is not valid");
      }
    }

    private void check(String field, Runnable check) {
      checked(field, () -> {
        check.run();
        return null;
      });
    }

    private ExportFormatException error(String field, String problem) {
      return new ExportFormatException(no, "field '" + field + "' " + problem);
    }
  }
}
