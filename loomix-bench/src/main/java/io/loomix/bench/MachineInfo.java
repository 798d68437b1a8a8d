package io.loomix.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The facts needed to compare two result files: what ran, on what. */
record MachineInfo(int cores, long memoryBytes, String cpu, String os, String java, String erlang, String pekko) {

    static MachineInfo probe(String erlangVersion) {
        var osBean = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new MachineInfo(
                Runtime.getRuntime().availableProcessors(),
                osBean.getTotalMemorySize(),
                cpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Runtime.version() + " (" + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + ")",
                erlangVersion,
                pekkoVersion());
    }

    Map<String, Object> toJson() {
        var json = new LinkedHashMap<String, Object>();
        json.put("cores", cores);
        json.put("memory_bytes", memoryBytes);
        json.put("cpu", cpu);
        json.put("os", os);
        json.put("java", java);
        json.put("erlang", erlang);
        json.put("pekko", pekko);
        return json;
    }

    String describe() {
        return """
                cores: %d, memory: %.1f GiB, cpu: %s
                os: %s
                java: %s
                erlang: %s
                pekko: %s""".formatted(cores, memoryBytes / (double) (1L << 30), cpu, os, java, erlang, pekko);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Asked reflectively so the harness still runs, and says so, if Pekko is missing. */
    private static String pekkoVersion() {
        try {
            return (String) Class.forName("org.apache.pekko.Version").getMethod("current").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return "n/a (" + e + ")";
        }
    }
}
