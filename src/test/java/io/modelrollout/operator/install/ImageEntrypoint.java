package io.modelrollout.operator.install;

import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JVM flags of the image's entrypoint, read from hack/image/pom.xml (what Jib builds). */
public final class ImageEntrypoint {
  private static final Pattern BLOCK =
      Pattern.compile("<entrypoint>(.*?)</entrypoint>", Pattern.DOTALL);
  private static final Pattern ARG = Pattern.compile("<arg>([^<]*)</arg>");

  private ImageEntrypoint() {}

  /** Every argument of the entrypoint, in order: {@code java}, the flags, {@code -jar}, the jar. */
  public static List<String> args() {
    String pom;
    try {
      pom = Files.readString(TestCluster.projectDir().resolve("hack/image/pom.xml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher block = BLOCK.matcher(pom);
    if (!block.find()) {
      throw new IllegalStateException("no <entrypoint> in hack/image/pom.xml");
    }
    List<String> args = new ArrayList<>();
    Matcher arg = ARG.matcher(block.group(1).replaceAll("(?s)<!--.*?-->", ""));
    while (arg.find()) {
      args.add(arg.group(1).trim());
    }
    return args;
  }

  /** The JVM flags: what comes between {@code java} and {@code -jar}. */
  public static List<String> jvmFlags() {
    List<String> args = args();
    int jar = args.indexOf("-jar");
    if (!"java".equals(args.get(0)) || jar < 0) {
      throw new IllegalStateException("the image's entrypoint is not java … -jar …: " + args);
    }
    return List.copyOf(args.subList(1, jar));
  }
}
