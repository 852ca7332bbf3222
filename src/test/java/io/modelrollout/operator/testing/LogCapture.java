package io.modelrollout.operator.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Records the warnings the operator and the Java Operator SDK log while a test runs. */
public final class LogCapture extends Handler implements AutoCloseable {
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private LogCapture() {}

  public static LogCapture start() {
    LogCapture c = new LogCapture();
    Logger.getLogger("").addHandler(c);
    return c;
  }

  @Override
  public void publish(LogRecord r) {
    String name = r.getLoggerName() == null ? "" : r.getLoggerName();
    if (r.getLevel().intValue() >= Level.WARNING.intValue()
        && (name.startsWith("io.modelrollout") || name.startsWith("io.javaoperatorsdk"))) {
      records.add(r);
    }
  }

  /** Warnings and errors, as "logger: message". */
  public List<String> warnings() {
    return records.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList();
  }

  /** Warnings and errors that carry a stack trace. */
  public List<String> stackTraces() {
    return records.stream()
        .filter(r -> r.getThrown() != null)
        .map(r -> r.getLoggerName() + ": " + r.getMessage() + " / " + r.getThrown())
        .toList();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
