package io.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionTest {
  private static final Value SECRET = Value.string("hunter2-hunter2");

  @Test
  void keepsComparesAndWritesInTheOrderGiven() {
    Transaction t = Transaction.builder()
        .present("p").versionIs("v", 3).absent("a")
        .update("u", SECRET).put("p", SECRET).create("c", SECRET).delete("d")
        .build();

    assertThat(t.compares()).containsExactly(
        new Transaction.Compare("p", Transaction.Compare.Kind.PRESENT, 0),
        new Transaction.Compare("v", Transaction.Compare.Kind.VERSION_EQUALS, 3),
        new Transaction.Compare("a", Transaction.Compare.Kind.ABSENT, 0));
    assertThat(t.writes()).extracting(w -> w.kind() + " " + w.key())
        .containsExactly("UPDATE u", "PUT p", "CREATE c", "DELETE d");
    assertThat(t.writes().get(3).value()).isNull();
    assertThat(t.writes().get(3).options()).isEqualTo(WriteOptions.none());
    assertThatThrownBy(() -> t.writes().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theBoundCountsComparesAndWritesTogether() {
    Transaction.Builder b = Transaction.builder();
    for (int i = 0; i < Transaction.MAX_OPERATIONS / 2; i++) {
      b.present("c" + i).put("k" + i, SECRET);
    }
    assertThat(b.build().writes()).hasSize(Transaction.MAX_OPERATIONS / 2);

    b.absent("one-more");
    assertThatThrownBy(b::build).isInstanceOfSatisfying(InvalidInputException.class, e -> {
      assertThat(e.field()).isEqualTo("operations");
      assertThat(e.getMessage()).contains(String.valueOf(Transaction.MAX_OPERATIONS + 1), "128");
    });
  }

  @Test
  void refusesAKeyWrittenTwiceAndATransactionWithoutWrites() {
    assertThatThrownBy(() -> Transaction.builder().put("k", SECRET).update("k", SECRET).build())
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("writes"))
        .hasMessageContaining("k");
    assertThatThrownBy(() -> Transaction.builder().present("k").build())
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("writes"));
  }

  @Test
  void refusesNullsAndVersionsThatDoNotFitTheCompare() {
    assertThatThrownBy(() -> Transaction.builder().put(null, SECRET)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Transaction.builder().put("k", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Transaction.builder().put("k", SECRET, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Transaction.builder().versionIs("k", 0)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new Transaction.Compare("k", Transaction.Compare.Kind.ABSENT, 2))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new Transaction.Write(Transaction.Write.Kind.DELETE, "k", SECRET, WriteOptions.none()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBuilderOfNoStoreCannotCommit() {
    assertThatThrownBy(() -> Transaction.builder().put("k", SECRET).commit()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void withValuesRewritesTheValuesOfWritesOnly() {
    Transaction t = Transaction.builder().present("p").put("a", SECRET, WriteOptions.none().withReason("why"))
        .delete("d").build();

    Transaction rewritten = t.withValues((key, value) -> Value.string("sealed:" + key));

    assertThat(rewritten.compares()).isEqualTo(t.compares());
    assertThat(rewritten.writes().get(0).value()).isEqualTo(Value.string("sealed:a"));
    assertThat(rewritten.writes().get(0).options().reason()).contains("why");
    assertThat(rewritten.writes().get(1)).isEqualTo(t.writes().get(1));
  }

  @Test
  void neitherTheRequestNorItsFailureShowsAValue() {
    Transaction t = Transaction.builder().versionIs("a", 2).put("a", SECRET).create("b", SECRET).build();
    TransactionFailedException e = new TransactionFailedException("ns", List.of(
        new TransactionFailedException.Failure(t.compares().get(0), 1),
        new TransactionFailedException.Failure(t.writes().get(1).impliedCompare(), 4)));

    assertThat(t.toString()).contains("a", "b").doesNotContain("hunter2");
    assertThat(e.getMessage()).contains("ns", "a", "version 2", "version 1", "b", "ABSENT", "version 4")
        .doesNotContain("hunter2");
    assertThat(e.namespace()).contains("ns");
    assertThat(e.failures()).extracting(TransactionFailedException.Failure::key).containsExactly("a", "b");
    assertThat(e).isInstanceOf(StateConflictException.class);
    assertThatThrownBy(() -> new TransactionFailedException("ns", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
