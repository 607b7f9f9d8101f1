package io.lifeboat.restore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.ArchiveLimits;
import io.lifeboat.archive.ArchiveReader;
import io.lifeboat.archive.Layout;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads a backup archive once, as it streams from the object store, and files its items by type in a local folder,
 * so that they can be applied in restore order without holding the archive in memory. The archive is refused,
 * before anything could be applied, when its SHA-256 is not the recorded one, when it is truncated, when an entry
 * is unsafe or past a limit, or when its format version is not Velero's 1.x.
 *
 * <p>The spool holds Secrets, and Lambda's {@code /tmp} outlives an invocation: every item is encrypted with
 * AES-256-GCM under a key made for this spool, which lives only in this object's memory and is never written. Each
 * spool is a folder {@code spool-<random>} under one root, holding a lock file that it keeps locked while open;
 * opening a spool first deletes the root's spools whose lock is held by no one (left by an earlier process).
 */
public final class ArchiveSpool implements AutoCloseable {
    /** The one root of every spool in this process's temporary folder. */
    public static final Path DEFAULT_ROOT = Path.of(System.getProperty("java.io.tmpdir"), "lifeboat-spools");
    static final String PREFIX = "spool-";
    private static final String LOCK_FILE = "lock";
    /** A spool folder without its lock file yet is left alone for this long: it may be being created. */
    private static final Duration CREATION_GRACE = Duration.ofMinutes(1);
    private static final int TAG_BITS = 128;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private final Path folder;
    private final SecretKey key;
    private final Map<String, Integer> fileNumbers = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    /** The number of the next file; a file's number is part of its records' nonces, so none is used twice. */
    private int nextFile;
    private FileChannel lockChannel;

    private ArchiveSpool(Path folder) {
        this.folder = folder;
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, RANDOM);
            this.key = generator.generateKey();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Spools the archive in a new folder under {@code root}, after deleting the root's stale spools.
     * {@code expectedSha256} is the backup record's (null for an archive Lifeboat did not write, such as Velero's,
     * which records none).
     */
    public static ArchiveSpool read(InputStream compressed, String expectedSha256, ArchiveLimits limits, Path root) {
        ArchiveSpool spool;
        try {
            Files.createDirectories(root);
            deleteStale(root);
            spool = new ArchiveSpool(create(root));
        } catch (IOException e) {
            throw new UncheckedIOException("the restore spool could not be created: " + e.getMessage(), e);
        }
        try {
            spool.lock();
            spool.fill(compressed, expectedSha256, limits);
            return spool;
        } catch (IOException e) {
            spool.close();
            throw new ArchiveReader.ArchiveException("the archive could not be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            spool.close();
            throw e;
        }
    }

    private void fill(InputStream compressed, String expectedSha256, ArchiveLimits limits) throws IOException {
        MessageDigest digest = sha256();
        DigestInputStream hashed = new DigestInputStream(compressed, digest);
        String version = null;
        try (ArchiveReader reader = new ArchiveReader(hashed, limits)) {
            Map<String, Writer> writers = new LinkedHashMap<>();
            try {
                for (ArchiveReader.Entry entry; (entry = reader.next()) != null; ) {
                    if (entry.path().equals(Layout.VERSION_ENTRY)) {
                        version = entry.text().trim();
                        continue;
                    }
                    Layout.ItemEntry item = Layout.parseItemEntry(entry.path());
                    if (item == null || item.preferredVersion() != null) {
                        continue; // folders, and the preferred-version copies of items read at the top
                    }
                    writers.computeIfAbsent(item.resourceFolder(), this::open).write(item.namespace(), item.name(),
                            entry.content());
                    counts.merge(item.resourceFolder(), 1, Integer::sum);
                }
                hashed.transferTo(OutputStream.nullOutputStream()); // the gzip trailer and padding
            } finally {
                for (Writer writer : writers.values()) {
                    writer.out.close();
                }
            }
        }
        if (version == null || !version.startsWith("1.")) {
            throw new ArchiveReader.ArchiveException("the archive's format version is "
                    + (version == null ? "missing" : "'" + version + "'") + ", not Velero's 1.x");
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (expectedSha256 != null && !expectedSha256.equals(actual)) {
            throw new ArchiveReader.ArchiveException("the archive's SHA-256 is " + actual + ", but the backup recorded "
                    + expectedSha256 + ": it was changed or damaged after the backup");
        }
    }

    /**
     * One type's file: records of [length, AES-GCM ciphertext], the nonce being the file's number and the record's.
     * Each record seals the item's place in the archive (namespace, or none under {@code cluster/}, and name) with it.
     */
    private final class Writer {
        private final int number;
        private final DataOutputStream out;
        private final Cipher cipher = aesGcm();
        private long records;

        Writer(int number, DataOutputStream out) {
            this.number = number;
            this.out = out;
        }

        void write(String namespace, String name, byte[] content) throws IOException {
            java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream(content.length + 64);
            DataOutputStream record = new DataOutputStream(plain);
            writeText(record, namespace);
            writeText(record, name);
            record.write(content);
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce(number, records++)));
                byte[] sealed = cipher.doFinal(plain.toByteArray());
                out.writeInt(sealed.length);
                out.write(sealed);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Writer open(String resourceFolder) {
        try {
            int number = nextFile++;
            fileNumbers.put(resourceFolder, number);
            OutputStream file = Files.newOutputStream(Files.createFile(file(number), ownerOnly(false)));
            return new Writer(number, new DataOutputStream(new BufferedOutputStream(file, 64 * 1024)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(int number) {
        return folder.resolve(number + ".items");
    }

    /** The types the archive holds, as resource folders ({@code deployments.apps}), in restore order. */
    public List<String> resourceFolders() {
        return RestoreOrder.sort(new ArrayList<>(fileNumbers.keySet()));
    }

    public int count(String resourceFolder) {
        return counts.getOrDefault(resourceFolder, 0);
    }

    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * One item of the archive and its place there: the namespace its path names ({@code namespaces/<ns>/}), null when
     * it lies under {@code cluster/}, and the name its file name gives. Nothing here says whether its type is
     * cluster-scoped: that is the target cluster's to say.
     */
    public record Item(String namespace, String name, ObjectNode object) {
    }

    /** Hands each item of the type to {@code each}, in archive order, one at a time. */
    public void forEach(String resourceFolder, Consumer<ObjectNode> each) {
        forEachItem(resourceFolder, item -> each.accept(item.object()));
    }

    /** Hands each item of the type, with its place in the archive, to {@code each}, in archive order. */
    public void forEachItem(String resourceFolder, Consumer<Item> each) {
        Integer number = fileNumbers.get(resourceFolder);
        if (number != null) {
            forEachItem(number, each);
        }
    }

    private void forEachItem(int number, Consumer<Item> each) {
        try (Cursor cursor = new Cursor(number)) {
            for (Item item = cursor.next(); item != null; item = cursor.next()) {
                each.accept(item);
            }
        }
    }

    /**
     * A reader of the type's items, one at a time, in archive order (none for a type the archive lacks), for a caller
     * that reads several types in turn; close it.
     */
    public Cursor cursor(String resourceFolder) {
        return new Cursor(fileNumbers.get(resourceFolder));
    }

    /** Reads one type's file of the spool, one item at a time, each one checked and opened with the spool's key. */
    public final class Cursor implements AutoCloseable {
        private final int number;
        private final DataInputStream in;
        private final Cipher cipher = aesGcm();
        private long record;

        private Cursor(Integer number) {
            this.number = number == null ? -1 : number;
            try {
                this.in = number == null ? null
                        : new DataInputStream(new BufferedInputStream(Files.newInputStream(file(number)), 64 * 1024));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The next item, or null after the last. */
        public Item next() {
            if (in == null) {
                return null;
            }
            try {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    return null;
                }
                byte[] sealed = in.readNBytes(length);
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce(number, record++)));
                DataInputStream plain = new DataInputStream(new java.io.ByteArrayInputStream(cipher.doFinal(sealed)));
                String namespace = readText(plain);
                String name = readText(plain);
                return new Item(namespace, name, (ObjectNode) JSON.readTree(plain));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the restore spool was changed on disk while it was open", e);
            }
        }

        @Override
        public void close() {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /**
     * Judges each item of the type once, in archive order: {@code judge} returns the object to keep (as it will be
     * applied), or null to drop the item. The type's file then holds the kept objects alone, each at its place in the
     * archive, sealed anew; {@link #count} and {@link #total} still say what the archive held. Returns how many
     * were kept.
     */
    public int judge(String resourceFolder, Function<Item, ObjectNode> judge) {
        Integer old = fileNumbers.get(resourceFolder);
        if (old == null) {
            return 0;
        }
        int[] kept = {0};
        Writer writer = open(resourceFolder);
        try {
            forEachItem(old, item -> {
                ObjectNode judged = judge.apply(item);
                if (judged != null) {
                    try {
                        writer.write(item.namespace(), item.name(), JSON.writeValueAsBytes(judged));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    kept[0]++;
                }
            });
        } finally {
            try {
                writer.out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            Files.delete(file(old));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return kept[0];
    }

    @Override
    public void close() {
        OPEN.remove(folder);
        try {
            if (lockChannel != null) {
                lockChannel.close();
            }
            delete(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path create(Path root) throws IOException {
        byte[] name = new byte[16];
        RANDOM.nextBytes(name);
        Path folder = Files.createDirectory(root.resolve(PREFIX + HexFormat.of().formatHex(name)), ownerOnly(true));
        OPEN.add(folder);
        return folder;
    }

    private void lock() throws IOException {
        Path lockFile = Files.createFile(folder.resolve(LOCK_FILE), ownerOnly(false));
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        lockChannel.lock();
    }

    /** Deletes the spools that no open spool of any process owns (their lock is free). */
    static void deleteStale(Path root) throws IOException {
        List<Path> spools;
        try (Stream<Path> children = Files.list(root)) {
            spools = children.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p)).toList();
        }
        for (Path spool : spools) {
            try {
                if (!OPEN.contains(spool) && !lockedElsewhere(spool)) {
                    delete(spool);
                }
            } catch (IOException e) {
                // not ours to delete (another user's, or going meanwhile): its items are sealed under a key now gone
            }
        }
    }

    private static boolean lockedElsewhere(Path spool) throws IOException {
        Path lockFile = spool.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            FileTime modified = Files.getLastModifiedTime(spool);
            return modified.toInstant().isAfter(Instant.now().minus(CREATION_GRACE));
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this process holds it
        }
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> paths = Files.exists(folder) ? Files.walk(folder) : Stream.empty()) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static FileAttribute<?>[] ownerOnly(boolean folder) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString(folder ? "rwx------" : "rw-------"))};
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        if (text == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readText(DataInputStream in) throws IOException {
        int length = in.readInt();
        return length < 0 ? null : new String(in.readNBytes(length), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] nonce(int file, long record) {
        return ByteBuffer.allocate(12).putInt(file).putLong(record).array();
    }

    private static Cipher aesGcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
