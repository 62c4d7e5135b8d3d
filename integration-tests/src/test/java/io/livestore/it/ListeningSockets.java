package io.livestore.it;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP sockets a process listens on and the UDP sockets it has bound, read from Linux's /proc: the
 * socket inodes among the process's file descriptors, matched against /proc/net/{tcp,tcp6,udp,udp6}.
 */
final class ListeningSockets {

    /** One socket: protocol, local address as /proc shows it (hex), port, and whether it is loopback. */
    record Socket(String protocol, String address, int port, boolean loopback) {
        @Override
        public String toString() {
            return protocol + " " + (loopback ? "loopback" : address) + ":" + port;
        }
    }

    private static final String TCP_LISTEN = "0A";
    private static final String UDP_UNCONNECTED = "07";
    private static final String IPV4_LOOPBACK = "0100007F";
    private static final String IPV6_LOOPBACK = "00000000000000000000000001000000";
    private static final String IPV4_MAPPED_LOOPBACK = "0000000000000000FFFF00000100007F";

    private ListeningSockets() {
    }

    static List<Socket> of(long pid) throws IOException {
        Set<String> inodes = socketInodes(pid);
        List<Socket> sockets = new ArrayList<>();
        read("tcp", TCP_LISTEN, inodes, sockets);
        read("tcp6", TCP_LISTEN, inodes, sockets);
        read("udp", UDP_UNCONNECTED, inodes, sockets);
        read("udp6", UDP_UNCONNECTED, inodes, sockets);
        return sockets;
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith("socket:[")) {
                    inodes.add(target.substring("socket:[".length(), target.length() - 1));
                }
            }
        }
        return inodes;
    }

    // Lines: "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
    private static void read(String protocol, String state, Set<String> inodes, List<Socket> into) throws IOException {
        Path table = Path.of("/proc/net", protocol);
        if (!Files.exists(table)) {
            return;
        }
        List<String> lines = Files.readAllLines(table);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[3].equals(state) || !inodes.contains(f[9])) {
                continue;
            }
            String[] local = f[1].split(":");
            String address = local[0];
            boolean loopback = address.equals(IPV4_LOOPBACK) || address.equals(IPV6_LOOPBACK)
                    || address.equals(IPV4_MAPPED_LOOPBACK);
            into.add(new Socket(protocol, address, Integer.parseInt(local[1], 16), loopback));
        }
    }
}
