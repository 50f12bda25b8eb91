// TorchSharp can finalize a temporary Scalar while libtorch still reads it (random "Expected false to be true" /
// "Unknown scalar type" mid-training; Model/KeptScalars.cs keeps ours alive, TorchSharp's internals remain). A large
// gen-0 budget makes collections, and so that race, rare (docs/design.md). The runtime reads that budget only from
// the DOTNET_GCgen0size environment variable at start-up (runtimeconfig.json has no knob for it: the GC's Gen0Size
// setting has no public name), so the program sets it and replaces itself with a fresh copy of itself (execve: same
// process id, arguments, standard streams and signal delivery) before doing anything else. The binary run directly,
// published, or through ./dgtools behaves the same.
using System.Reflection;
using System.Runtime.InteropServices;

namespace DgTools.Cli;

public static class GcSettings
{
    public const string Variable = "DOTNET_GCgen0size";
    public const string Budget = "0x10000000";   // 256 MB

    /// <summary>Re-executes the process with <see cref="Variable"/> set when it is not (Linux and macOS; elsewhere,
    /// or if execve fails, the program runs on with the default budget).</summary>
    public static void EnsureLargeGen0Budget(string[] args)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not null || OperatingSystem.IsWindows()) return;
        var host = Environment.ProcessPath;
        if (host is null) return;
        Environment.SetEnvironmentVariable(Variable, Budget);
        // Under `dotnet dgtools.dll …` the host is dotnet and the program its first argument.
        var program = Path.GetFileNameWithoutExtension(host) == "dotnet" ? [Assembly.GetEntryAssembly()!.Location] : Array.Empty<string>();
        var argv = CStrings([host, .. program, .. args]);
        var environment = CStrings(Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => $"{e.Key}={e.Value}"));
        execve(host, argv, environment);   // returns only on failure; the strings then live on with the process
    }

    /// <summary>A null-terminated array of UTF-8 C strings.</summary>
    private static nint[] CStrings(IEnumerable<string> values) => [.. values.Select(Marshal.StringToCoTaskMemUTF8), 0];

    [DllImport("libc", SetLastError = true)]
    private static extern int execve([MarshalAs(UnmanagedType.LPUTF8Str)] string path, nint[] argv, nint[] envp);
}
