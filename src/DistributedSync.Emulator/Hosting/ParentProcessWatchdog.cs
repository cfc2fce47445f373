using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace DistributedSync.Emulator.Hosting;

/// <summary>
/// Ends the emulator when the process that started it is gone (<c>--parentPid &lt;pid&gt;</c>), so
/// that a supervisor killed with SIGKILL (the DistributedSync daemon's embedded nodes) leaves no
/// orphan nodes behind. The parent is polled (every 500 ms by default): on Unix, while this
/// process's parent is still <c>pid</c> (a child is re-parented the moment its parent dies, so a
/// reused pid cannot fool it); when <c>pid</c> is not the direct parent, or elsewhere, while a
/// process with that id and the start time seen at first exists.
/// </summary>
public sealed class ParentProcessWatchdog : IDisposable
{
    /// <summary>The command-line flag.</summary>
    public const string Flag = "--parentPid";

    /// <summary>How often the parent is checked by default.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(500);

    private static ParentProcessWatchdog? _processWide;
    private readonly Action _onParentGone;
    private readonly bool _directParent;
    private readonly DateTime? _parentStartTime;
    private readonly Timer _timer;
    private int _fired;
    private long _checks;

    /// <summary>Starts watching <paramref name="parentPid"/>; <paramref name="onParentGone"/> runs once, on a pool thread, when it is gone.</summary>
    /// <param name="parentPid">The process to watch.</param>
    /// <param name="onParentGone">What to do when it is gone.</param>
    /// <param name="pollInterval">How often to check (default <see cref="DefaultPollInterval"/>).</param>
    public ParentProcessWatchdog(int parentPid, Action onParentGone, TimeSpan? pollInterval = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parentPid);
        ArgumentNullException.ThrowIfNull(onParentGone);
        ParentPid = parentPid;
        _onParentGone = onParentGone;
        _directParent = !OperatingSystem.IsWindows() && NativeMethods.GetParentProcessId() == parentPid;
        _parentStartTime = _directParent ? null : StartTimeOf(parentPid);
        var interval = pollInterval ?? DefaultPollInterval;
        _timer = new Timer(_ => Check(), null, interval, interval);
    }

    /// <summary>The watched process id.</summary>
    public int ParentPid { get; }

    /// <summary>Whether the parent was found gone (and the callback ran).</summary>
    public bool ParentGone => Volatile.Read(ref _fired) != 0;

    /// <summary>How many times the parent has been checked.</summary>
    public long Checks => Interlocked.Read(ref _checks);

    /// <summary>
    /// Takes <c>--parentPid &lt;pid&gt;</c> (or <c>--parentPid=&lt;pid&gt;</c>) out of <paramref name="args"/>
    /// and, when it was given, starts a process-wide watchdog that sends this process SIGTERM
    /// (a graceful stop; on Windows it exits with code 1) once that process is gone.
    /// </summary>
    /// <param name="args">The command line; replaced by the arguments without the flag.</param>
    /// <returns>Null, or the message explaining a malformed flag.</returns>
    public static string? StartFromArguments(ref string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!TryExtract(args, out var remaining, out var parentPid, out var error))
        {
            return error;
        }

        args = remaining;
        if (parentPid is int pid && _processWide is null)
        {
            _processWide = new ParentProcessWatchdog(pid, TerminateSelf);
        }

        return null;
    }

    /// <summary>Splits the <c>--parentPid</c> flag from the other arguments.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="remaining">The other arguments, in order.</param>
    /// <param name="parentPid">The process id given, or null when the flag is absent.</param>
    /// <param name="error">Why the flag is malformed, or null.</param>
    /// <returns>False when the flag is malformed or repeated.</returns>
    public static bool TryExtract(IReadOnlyList<string> args, out string[] remaining, out int? parentPid, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var rest = new List<string>(args.Count);
        parentPid = null;
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            string? text;
            if (args[i] == Flag)
            {
                text = i + 1 < args.Count ? args[++i] : null;
            }
            else if (args[i].StartsWith(Flag + "=", StringComparison.Ordinal))
            {
                text = args[i][(Flag.Length + 1)..];
            }
            else
            {
                rest.Add(args[i]);
                continue;
            }

            if (parentPid is not null)
            {
                error = Flag + " is given more than once";
            }
            else if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
            {
                error = $"{Flag} needs a positive process id (got '{text}')";
            }
            else
            {
                parentPid = pid;
            }

            if (error is not null)
            {
                remaining = [.. args];
                parentPid = null;
                return false;
            }
        }

        remaining = [.. rest];
        return true;
    }

    /// <summary>Stops watching.</summary>
    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        if (Volatile.Read(ref _fired) != 0)
        {
            return;
        }

        var alive = IsParentAlive();
        Interlocked.Increment(ref _checks);
        if (alive)
        {
            return;
        }

        if (Interlocked.Exchange(ref _fired, 1) == 0)
        {
            _timer.Dispose();
            _onParentGone();
        }
    }

    private bool IsParentAlive()
    {
        if (_directParent)
        {
            return NativeMethods.GetParentProcessId() == ParentPid;
        }

        return StartTimeOf(ParentPid) is { } started && (_parentStartTime is null || started == _parentStartTime);
    }

    // The start time of a live process; null when there is none with that id.
    private static DateTime? StartTimeOf(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime;
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // It exists but cannot be inspected: count it as alive, with an unknown start time.
            return DateTime.MinValue;
        }
    }

    private static void TerminateSelf()
    {
        if (OperatingSystem.IsWindows())
        {
            Environment.Exit(1);
        }

        NativeMethods.Kill(Environment.ProcessId, NativeMethods.SigTerm);
    }

    private static class NativeMethods
    {
        internal const int SigTerm = 15;

        [DllImport("libc", EntryPoint = "getppid")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int GetParentProcessId();

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Kill(int pid, int signal);
    }
}
