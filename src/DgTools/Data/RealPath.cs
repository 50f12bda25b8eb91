// The canonical path of a file or folder, every link followed (realpath(3)): two paths name the same folder exactly
// when their real paths are equal, which a data set walk needs to notice links that lead back into it.
using System.Runtime.InteropServices;

namespace DgTools.Data;

public static class RealPath
{
    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static extern IntPtr NativeRealPath(string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr pointer);

    /// <summary>The real path, or null when it cannot be resolved (a link loop, a dangling link, no permission).</summary>
    public static string? Of(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return Path.GetFullPath(path);
        var result = NativeRealPath(path, IntPtr.Zero);
        if (result == IntPtr.Zero) return null;
        try { return Marshal.PtrToStringUTF8(result); }
        finally { Free(result); }
    }
}
