// Every file dgtools writes goes through here: write a temp file in the same directory, flush to disk, rename over
// the target. A crash leaves either the old file or the new one, never a partial one.
namespace DgTools;

public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = TempPathFor(full);
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e)
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            if (IsDiskFull(e))
            {
                var what = File.Exists(full) ? "its previous version is intact" : "it was not written";
                throw new DiskFullError($"disk full while writing {Path.GetFileName(full)}: {what}, and files written before it " +
                                           "are intact (free space, then run the same command again)", full, e);
            }
            throw;
        }
    }

    /// <summary>A fresh temp file beside <paramref name="path"/>, named ".NAME.PID.GUID.tmp" so that
    /// <see cref="RemoveStaleTemporaries"/> can clean it up when its writer is killed.</summary>
    public static string TempPathFor(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
    }

    // ENOSPC (28) on Linux; ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.
    internal static bool IsDiskFull(Exception e) =>
        e is IOException && (e.HResult == 28 || (e.HResult & 0xFFFF) is 0x70 or 0x27);

    /// <summary>Deletes the temp files that writers killed mid-write (SIGKILL, power loss) left in
    /// <paramref name="dir"/>: ".NAME.PID.GUID.tmp" whose PID is no longer running. Returns how many it deleted.</summary>
    public static int RemoveStaleTemporaries(string dir, bool recursive = false)
    {
        if (!Directory.Exists(dir)) return 0;
        var removed = 0;
        var search = recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
        foreach (var file in Directory.EnumerateFiles(dir, ".*.tmp", search))
        {
            var parts = Path.GetFileName(file).Split('.');
            // "", NAME..., PID, GUID, "tmp"
            if (parts.Length < 5 || !int.TryParse(parts[^3], out var pid) || parts[^2].Length != 32) continue;
            if (pid == Environment.ProcessId || IsRunning(pid)) continue;
            try { File.Delete(file); removed++; } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true); w.Write(text); });

    /// <summary>Copies a file so that the destination is either absent or complete.</summary>
    public static void Copy(string source, string destination)
    {
        using var input = File.OpenRead(source);
        Write(destination, s => input.CopyTo(s));
    }
}
