using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DistributedSync.TestKit.Processes;

/// <summary>
/// The daemon in its own process (<c>dotnet DistributedSync.Daemon.dll</c>) against nodes the
/// caller runs, for fault tests and system benchmarks: kill -9, SIGTERM, restart on the same HTTP
/// port. Every console line of every run is appended to <see cref="ConsoleLogPath"/> (so a run
/// can be audited afterwards, e.g. for the elections it logged); the last lines are also kept in
/// memory for diagnostics.
/// </summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private const int TailLines = 400;
    private readonly DaemonProcessOptions _options;
    private readonly bool _ownsWorkDirectory;
    private readonly Lock _gate = new();
    private readonly Queue<string> _tail = new();
    private readonly StreamWriter _console;
    private Process? _process;
    private int _disposed;

    private DaemonProcess(DaemonProcessOptions options, string workDirectory, bool owns, int httpPort)
    {
        _options = options;
        WorkDirectory = workDirectory;
        _ownsWorkDirectory = owns;
        HttpPort = httpPort;
        Directory.CreateDirectory(workDirectory);
        ConsoleLogPath = Path.Combine(workDirectory, "daemon-console.log");
        _console = new StreamWriter(new FileStream(ConsoleLogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The daemon's working directory (its Serilog files go under <c>logs/</c>).</summary>
    public string WorkDirectory { get; }

    /// <summary>The HTTP API's port.</summary>
    public int HttpPort { get; }

    /// <summary>Where every console line of every run is appended.</summary>
    public string ConsoleLogPath { get; }

    /// <summary>A client for the HTTP API (30 s timeout; use your own for other timeouts).</summary>
    public HttpClient Http { get; }

    /// <summary>The OS process id of the current run (0 before the first start).</summary>
    public int ProcessId => _process?.Id ?? 0;

    /// <summary>True when the current run has ended.</summary>
    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>The last console lines, for assertion messages.</summary>
    public string Diagnostics
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    /// <summary>Starts the daemon and waits until <c>GET /status</c> answers 200.</summary>
    public static async Task<DaemonProcess> StartAsync(DaemonProcessOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.NodeUris.Count < 3)
        {
            throw new ArgumentException("The daemon needs at least three nodes.", nameof(options));
        }

        var owns = options.WorkDirectory is null;
        var work = options.WorkDirectory ?? Directory.CreateTempSubdirectory("distsync-daemon-").FullName;
        var daemon = new DaemonProcess(options, work, owns, options.HttpPort != 0 ? options.HttpPort : FreePort());
        try
        {
            await daemon.LaunchAsync(cancellationToken).ConfigureAwait(false);
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Finds DistributedSync.Daemon.dll: <c>DISTSYNC_DAEMON_DLL</c> when set, else next to the
    /// running assembly (a project that references the daemon gets it copied there).
    /// </summary>
    public static string LocateDaemonDll()
    {
        if (Environment.GetEnvironmentVariable("DISTSYNC_DAEMON_DLL") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException("DISTSYNC_DAEMON_DLL names a missing file.", configured);
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "DistributedSync.Daemon.dll");
        return File.Exists(beside)
            ? beside
            : throw new FileNotFoundException("DistributedSync.Daemon.dll was not found next to the running assembly; reference src/DistributedSync.Daemon or set DISTSYNC_DAEMON_DLL.", beside);
    }

    /// <summary>kill -9 of the daemon (its nodes are the caller's and keep running).</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
            catch (InvalidOperationException)
            {
                // It exited meanwhile.
            }
        }
    }

    /// <summary>SIGTERM, then waits for the exit (SIGKILL after <paramref name="timeout"/>); returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var process = _process ?? throw new InvalidOperationException("The daemon has not been started.");
        if (!process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await process.WaitForExitAsync(cancellationToken).WaitAsync(timeout ?? TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Kill();
            }
        }

        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Stops the current run (kill -9 when <paramref name="kill"/>, else SIGTERM) and starts a new one with the same settings.</summary>
    public async Task RestartAsync(bool kill = true, CancellationToken cancellationToken = default)
    {
        if (kill)
        {
            Kill();
        }
        else if (!HasExited)
        {
            await StopAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        _process?.Dispose();
        _process = null;
        await LaunchAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Kill();
        _process?.Dispose();
        Http.Dispose();
        await _console.DisposeAsync().ConfigureAwait(false);
        if (_ownsWorkDirectory)
        {
            try
            {
                Directory.Delete(WorkDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = WorkDirectory,
        };
        start.ArgumentList.Add(_options.DaemonDll ?? LocateDaemonDll());
        foreach (var argument in Arguments())
        {
            start.ArgumentList.Add(argument);
        }

        // The caller's configuration is the whole configuration: no ambient overrides.
        start.Environment.Remove("DISTSYNC_CONFIG");
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("DistributedSync", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.Start();
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitForStatusAsync(process, cancellationToken).ConfigureAwait(false);
    }

    private List<string> Arguments()
    {
        var args = new List<string>
        {
            "--DistributedSync:Embedded:Enabled=false",
            $"--DistributedSync:Http:Urls=http://127.0.0.1:{HttpPort}",
            $"--Serilog:WriteTo:1:Args:path={Path.Combine(WorkDirectory, "logs", "daemon-.log")}",
        };
        for (var i = 0; i < _options.NodeUris.Count; i++)
        {
            args.Add($"--DistributedSync:Nodes:{i}:Id={i + 1}");
            args.Add($"--DistributedSync:Nodes:{i}:Name=node{i + 1}");
            args.Add($"--DistributedSync:Nodes:{i}:Uri={_options.NodeUris[i]}");
        }

        if (_options.HeartbeatIntervalMs is { } heartbeat)
        {
            args.Add($"--DistributedSync:Election:HeartbeatIntervalMs={heartbeat}");
        }

        if (_options.FailureTimeoutMs is { } failure)
        {
            args.Add($"--DistributedSync:Election:FailureTimeoutMs={failure}");
        }

        args.AddRange(_options.ExtraArguments);
        return args;
    }

    private async Task WaitForStatusAsync(Process process, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                process.WaitForExit();
                throw new InvalidOperationException($"The daemon exited with code {process.ExitCode} during startup.\n{Diagnostics}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri("/status", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (clock.Elapsed > _options.StartTimeout)
            {
                Kill();
                throw new TimeoutException($"The daemon did not answer /status within {_options.StartTimeout}.\n{Diagnostics}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }

            if (Volatile.Read(ref _disposed) == 0)
            {
                _console.WriteLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
