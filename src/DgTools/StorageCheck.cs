// Checks made before a long run starts writing: can dgtools write where it must, and is there room for what it will
// write. A run that would fail after an hour of training on a read-only or full directory fails in its first second
// instead, naming the directory.
namespace DgTools;

public static class StorageCheck
{
    /// <summary>Creates <paramref name="directory"/> when missing and writes (then deletes) a probe file in it.</summary>
    /// <param name="what">What the directory is to the user ("the output directory").</param>
    /// <param name="why">What dgtools writes there.</param>
    public static void RequireWritable(string directory, string what, string why)
    {
        var probe = AtomicFile.TempPathFor(Path.Combine(directory, "write-probe"));
        try
        {
            Directory.CreateDirectory(directory);
            using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.WriteByte(0);
                stream.Flush(flushToDisk: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The reason without the probe's own (internal) file name.
            var reason = AtomicFile.IsDiskFull(e) ? "its disk is full"
                : e.HResult == ReadOnlyFileSystem ? "read-only file system"
                : e is UnauthorizedAccessException ? "permission denied"
                : FirstLine(e.Message).Split(" : '")[0].Replace(probe, Path.GetFileName(directory));
            throw new DgToolsException($"cannot write to {what} ({reason}); {why}", directory, e);
        }
        finally
        {
            try { File.Delete(probe); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private const int ReadOnlyFileSystem = 30;   // EROFS

    /// <summary>Free bytes on the file system holding <paramref name="directory"/>, or null when it cannot be told.</summary>
    public static long? FreeBytes(string directory)
    {
        try { return new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { return null; }
    }

    /// <summary>Fails when the file system holding <paramref name="directory"/> has less than <paramref name="bytes"/> free.</summary>
    public static void RequireFree(string directory, long bytes, string what, string why)
    {
        if (FreeBytes(directory) is { } free && free < bytes)
            throw new DiskFullError($"not enough free space for {what}: {Megabytes(free)} free, {why} needs {Megabytes(bytes)} " +
                                    "(free space, then run the same command again)", directory);
    }

    public static string Megabytes(long bytes) => $"{bytes / 1e6:0.#} MB";

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
