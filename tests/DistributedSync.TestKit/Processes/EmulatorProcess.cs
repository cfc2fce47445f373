using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace DistributedSync.TestKit.Processes;

/// <summary>
/// An emulator node in its own process (<c>dotnet DistributedSync.Emulator.dll --port 0 ...</c>),
/// for tests that need real processes: kill -9, SIGTERM, SIGSTOP, restarts on the same data.
/// <see cref="StartAsync"/> returns once the node logged "Waiting for connections" (its port is
/// parsed from that line). stdout and stderr are captured for diagnostics. Disposing kills the
/// process if it still runs and deletes a temporary data directory; processes still alive when
/// the test host exits are killed too, so none is left behind.
/// </summary>
public sealed partial class EmulatorProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<EmulatorProcess, byte> Live = new();
    private readonly EmulatorProcessOptions _options;
    private readonly bool _ownsDbPath;
    private readonly ProcessOutput _output = new();
    private Process? _process;
    private int _disposed;

    static EmulatorProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Live.Keys)
            {
                process.KillQuietly();
            }
        };
    }

    private EmulatorProcess(EmulatorProcessOptions options, string dbPath, bool ownsDbPath)
    {
        _options = options;
        DbPath = dbPath;
        _ownsDbPath = ownsDbPath;
    }

    /// <summary>The data directory.</summary>
    public string DbPath { get; }

    /// <summary>The port the node listens on (known once started).</summary>
    public int Port { get; private set; }

    /// <summary>The OS process id of the current run.</summary>
    public int ProcessId => _process?.Id ?? 0;

    /// <summary>True when the current run has ended.</summary>
    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>The exit code of the current run, or null while it runs.</summary>
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>
    /// <c>mongodb://127.0.0.1:port/</c>, with the root user's credentials when the process was
    /// started with one (they authenticate against <c>admin</c>).
    /// </summary>
    public string ConnectionString
    {
        get
        {
            var credentials = _options.User is { } user && _options.Password is { } password
                ? Uri.EscapeDataString(user) + ":" + Uri.EscapeDataString(password) + "@"
                : string.Empty;
            return "mongodb://" + credentials + "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture) + "/";
        }
    }

    /// <summary>Everything written to stdout so far (all runs), one line per log event.</summary>
    public IReadOnlyList<string> OutputLines => _output.StandardOutput;

    /// <summary>Everything written to stderr so far (all runs).</summary>
    public IReadOnlyList<string> ErrorLines => _output.StandardError;

    /// <summary>stdout and stderr as one text, for assertion messages.</summary>
    public string Diagnostics => "stdout:\n" + string.Join('\n', OutputLines) + "\nstderr:\n" + string.Join('\n', ErrorLines);

    /// <summary>Starts a node and waits until it accepts connections.</summary>
    /// <exception cref="InvalidOperationException">The process exited or did not become ready in time (the message holds its output).</exception>
    public static async Task<EmulatorProcess> StartAsync(EmulatorProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorProcessOptions();
        var ownsDbPath = options.DbPath is null;
        var dbPath = options.DbPath ?? Path.Combine(Path.GetTempPath(), "distsync-emulator-" + Guid.NewGuid().ToString("N"));
        var emulator = new EmulatorProcess(options, dbPath, ownsDbPath);
        Live[emulator] = 0;
        try
        {
            await emulator.LaunchAsync(options.Port, cancellationToken).ConfigureAwait(false);
            return emulator;
        }
        catch
        {
            await emulator.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts a process with exactly these arguments and waits for it to exit (for tests of bad flags and startup failures).</summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunToExitAsync(IReadOnlyList<string> arguments, TimeSpan timeout, string? emulatorDll = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var output = new ProcessOutput();
        using var process = CreateProcess(emulatorDll ?? LocateEmulatorDll(), arguments, output);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The emulator did not exit within {timeout}.\nstdout:\n{string.Join('\n', output.StandardOutput)}\nstderr:\n{string.Join('\n', output.StandardError)}");
        }

        process.WaitForExit();
        return (process.ExitCode, string.Join('\n', output.StandardOutput), string.Join('\n', output.StandardError));
    }

    /// <summary>
    /// Finds DistributedSync.Emulator.dll: <c>DISTSYNC_EMULATOR_DLL</c> when set, else next to the
    /// running test assembly (a project that references the emulator gets it copied there).
    /// </summary>
    /// <exception cref="FileNotFoundException">It cannot be found.</exception>
    public static string LocateEmulatorDll()
    {
        if (Environment.GetEnvironmentVariable("DISTSYNC_EMULATOR_DLL") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException("DISTSYNC_EMULATOR_DLL names a missing file.", configured);
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "DistributedSync.Emulator.dll");
        if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")))
        {
            return beside;
        }

        throw new FileNotFoundException(
            "DistributedSync.Emulator.dll was not found next to the test assembly; reference src/DistributedSync.Emulator from the test project or set DISTSYNC_EMULATOR_DLL.",
            beside);
    }

    /// <summary>Waits until a stdout line matches <paramref name="predicate"/>; returns it.</summary>
    /// <exception cref="TimeoutException">No such line within <paramref name="timeout"/>.</exception>
    public Task<string> WaitForOutputAsync(Func<string, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
        => _output.WaitForLineAsync(predicate, () => _process is null || ExitedAndDrained(_process), timeout, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        KillQuietly();
        if (_process is not null)
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _process.Dispose();
        }

        Live.TryRemove(this, out _);
        if (_ownsDbPath)
        {
            TryDeleteDirectory(DbPath);
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private static Process CreateProcess(string dll, IReadOnlyList<string> arguments, ProcessOutput output)
    {
        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => output.Add(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data, error: true);
        process.Exited += (_, _) => output.Signal();
        return process;
    }
}
