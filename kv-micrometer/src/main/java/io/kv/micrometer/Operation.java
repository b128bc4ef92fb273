package io.kv.micrometer;

/** The operations the timers tell apart; {@link #tag} is the value of the {@code operation} tag. */
enum Operation {
  GET("get"),
  GET_ALL("getAll"),
  PUT("put"),
  CREATE("create"),
  UPDATE("update"),
  COMPARE_AND_SET("compareAndSet"),
  DELETE("delete"),
  DELETE_IF_VERSION("deleteIfVersion"),
  PUT_ALL("putAll"),
  DELETE_ALL("deleteAll"),
  COMMIT("commit"),
  LIST("list"),
  COUNT("count"),
  ROTATE("rotate"),
  ROLLBACK("rollback"),
  HISTORY("history"),
  NAMESPACE_CREATE("namespaces.create"),
  NAMESPACE_GET("namespaces.get"),
  NAMESPACE_LIST("namespaces.list"),
  NAMESPACE_UPDATE("namespaces.update"),
  NAMESPACE_DELETE("namespaces.delete");

  final String tag;

  Operation(String tag) {
    this.tag = tag;
  }
}
