using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DistributedSync.Daemon.Embedded;

/// <summary>Sends SIGTERM to a child process (Unix); elsewhere there is no graceful signal.</summary>
internal static class ProcessSignals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM; false when it cannot be sent (Windows, or the process is gone).</summary>
    public static bool TryTerminate(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            return !process.HasExited && NativeMethods.Kill(process.Id, SigTerm) == 0;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Kill(int pid, int signal);
    }
}
