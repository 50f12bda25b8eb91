// One autotrain at a time per resource directory. The lock file names its holder (pid, start time, host); a lock
// whose process is gone (or whose pid now belongs to another process) is stale and taken over. The lock appears whole:
// its details are written to a temp file first and hard-linked into place (link(2) fails when the lock exists), so a
// kill at any moment leaves either no lock or a complete one — never an empty lock that blocks the next run.
using System.Runtime.InteropServices;
using System.Text.Json;

namespace DgTools.Training;

public sealed record LockHolder(int Pid, long ProcessStartTicks, DateTime StartedUtc, string Host, string Command);

public sealed class TrainingLock : IDisposable
{
    private readonly string _path;
    private bool _released;

    private TrainingLock(string path) => _path = path;

    public static TrainingLock Acquire(string lockPath, string command, Action<string>? warn = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        var me = new LockHolder(Environment.ProcessId, ProcessStart(Environment.ProcessId) ?? 0, DateTime.UtcNow,
            Environment.MachineName, command);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (TryCreateWhole(lockPath, me)) return new TrainingLock(lockPath);
            if (!File.Exists(lockPath)) continue;   // released in between: try again
            var holder = ReadHolder(lockPath);
            // Locks appear whole (TryCreateWhole), but a version before that created the file first and wrote its
            // details a moment later: an empty or partial lock only seconds old may belong to a run that is starting.
            if (holder is null && DateTime.UtcNow - File.GetLastWriteTimeUtc(lockPath) < TimeSpan.FromSeconds(30))
                throw new DgToolsException("another autotrain is starting on this resource directory", lockPath);
            if (holder is not null && IsAlive(holder))
            {
                throw new DgToolsException(
                    $"another autotrain is running on this resource directory: pid {holder.Pid} on {holder.Host}, " +
                    $"started {holder.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC ({holder.Command})", lockPath);
            }
            warn?.Invoke(holder is null
                ? $"removing an unreadable lock file ({lockPath})"
                : $"taking over a stale lock from pid {holder.Pid}, which is no longer running ({lockPath})");
            File.Delete(lockPath);
        }
        throw new DgToolsException("could not take the training lock", lockPath);
    }

    /// <summary>Writes the holder's details to a temp file and links it in as the lock; false when a lock exists.</summary>
    private static bool TryCreateWhole(string lockPath, LockHolder me)
    {
        var tmp = AtomicFile.TempPathFor(lockPath);
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
            {
                JsonSerializer.Serialize(stream, me);
                stream.Flush(flushToDisk: true);
            }
            if (OperatingSystem.IsWindows())
            {
                try { File.Move(tmp, lockPath, overwrite: false); return true; }   // MoveFileEx without replace: fails if it exists
                catch (IOException) when (File.Exists(lockPath)) { return false; }
            }
            if (link(tmp, lockPath) == 0) return true;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EEXIST) return false;
            throw new IOException($"cannot create the lock file (errno {errno})");
        }
        finally
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private const int EEXIST = 17;

    [DllImport("libc", SetLastError = true)]
    private static extern int link(string oldPath, string newPath);

    public static LockHolder? ReadHolder(string lockPath)
    {
        try { return JsonSerializer.Deserialize<LockHolder>(File.ReadAllText(lockPath)); }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { return null; }
    }

    private static bool IsAlive(LockHolder holder)
    {
        if (holder.Host != Environment.MachineName) return true; // cannot see another host's processes: assume alive
        var start = ProcessStart(holder.Pid);
        return start is not null && (holder.ProcessStartTicks == 0 || start == holder.ProcessStartTicks);
    }

    /// <summary>The process's start time in clock ticks since boot (/proc/PID/stat field 22), or null if it is gone.</summary>
    private static long? ProcessStart(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (_released) return;
        _released = true;
        try { File.Delete(_path); } catch (IOException) { }
    }
}
