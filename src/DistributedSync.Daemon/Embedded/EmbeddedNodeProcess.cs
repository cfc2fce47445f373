using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DistributedSync.Daemon.Logging;
using Microsoft.Extensions.Logging;

namespace DistributedSync.Daemon.Embedded;

/// <summary>
/// One running emulator child process: started, watched until it prints mongod's
/// "Waiting for connections", its output forwarded to the log, stopped with SIGTERM and killed
/// after a grace period. It is never restarted: an operator who kills one sees the election react.
/// </summary>
public sealed class EmbeddedNodeProcess : IAsyncDisposable
{
    /// <summary>The <c>msg</c> of the emulator's readiness log line.</summary>
    public const string ReadyMessage = "Waiting for connections";

    private const int KeptErrorLines = 20;
    private readonly Process _process;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _errorLines = new();
    private readonly Task _pumps;
    private int _stopping;

    private EmbeddedNodeProcess(EmbeddedNodePlan plan, Process process, ILogger logger)
    {
        Plan = plan;
        _process = process;
        _logger = logger;
        ProcessId = process.Id;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput, error: false), PumpAsync(process.StandardError, error: true));
        Exited = WatchExitAsync();
    }

    /// <summary>What was started.</summary>
    public EmbeddedNodePlan Plan { get; }

    /// <summary>The child's process id.</summary>
    public int ProcessId { get; }

    /// <summary>Completes with the exit code when the process has exited and its output is drained.</summary>
    public Task<int> Exited { get; }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => Exited.IsCompleted;

    /// <summary>Starts the node and waits until it accepts connections.</summary>
    /// <exception cref="EmbeddedNodeException">It exited, or was not ready within <paramref name="timeout"/> (it is then killed).</exception>
    public static async Task<EmbeddedNodeProcess> StartAsync(EmulatorLauncher launcher, EmbeddedNodePlan plan, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(logger);
        Directory.CreateDirectory(plan.DbPath);
        logger.NodeStarting(plan.Name, plan.Port, plan.DbPath);
        var started = Stopwatch.StartNew();
        var process = new Process { StartInfo = launcher.CreateStartInfo(plan.Arguments(Environment.ProcessId)) };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            throw new EmbeddedNodeException(plan.Name, $"{launcher} could not be executed: {ex.Message}", ex);
        }

        var node = new EmbeddedNodeProcess(plan, process, logger);
        try
        {
            await node.WaitUntilReadyAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        logger.NodeReady(plan.Name, node.ProcessId, plan.Port, started.Elapsed.TotalMilliseconds);
        return node;
    }

    /// <summary>
    /// Notes that the daemon is stopping, so that the node exiting now (e.g. from the terminal's
    /// Ctrl+C, which reaches the whole process group) is not reported as an unexpected exit.
    /// </summary>
    public void MarkStopping() => Interlocked.Exchange(ref _stopping, 1);

    /// <summary>Stops the node: SIGTERM, then SIGKILL after <paramref name="grace"/>. Returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        Interlocked.Exchange(ref _stopping, 1);
        if (!HasExited)
        {
            _logger.NodeStopping(Plan.Name, ProcessId);
            if (!ProcessSignals.TryTerminate(_process))
            {
                Kill();
            }

            if (await Task.WhenAny(Exited, Task.Delay(grace)).ConfigureAwait(false) != Exited)
            {
                _logger.NodeKilled(Plan.Name, ProcessId, (int)grace.TotalMilliseconds);
                Kill();
            }

            var code = await Exited.ConfigureAwait(false);
            _logger.NodeStopped(Plan.Name, ProcessId, code);
        }

        return await Exited.ConfigureAwait(false);
    }

    /// <summary>Kills the process if it still runs and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _stopping, 1);
        Kill();
        await ((Task)Exited).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var finished = await Task.WhenAny(_ready.Task, Exited, Task.Delay(Timeout.Infinite, deadline.Token)).ConfigureAwait(false);
        if (finished == _ready.Task)
        {
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (finished == Exited)
        {
            var code = await Exited.ConfigureAwait(false);
            throw new EmbeddedNodeException(Plan.Name, string.Create(CultureInfo.InvariantCulture, $"the emulator exited with code {code} before it accepted connections{ErrorTail()}"));
        }

        throw new EmbeddedNodeException(Plan.Name, string.Create(CultureInfo.InvariantCulture, $"the emulator did not print \"{ReadyMessage}\" within {timeout.TotalMilliseconds:F0} ms (DistributedSync:Embedded:StartTimeoutMs){ErrorTail()}"));
    }

    private string ErrorTail()
    {
        lock (_errorLines)
        {
            return _errorLines.Count == 0 ? "." : ": " + string.Join(" | ", _errorLines);
        }
    }

    private async Task PumpAsync(StreamReader reader, bool error)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (error)
            {
                lock (_errorLines)
                {
                    _errorLines.Enqueue(line);
                    if (_errorLines.Count > KeptErrorLines)
                    {
                        _errorLines.Dequeue();
                    }
                }

                _logger.NodeErrorOutput(Plan.Name, line);
                continue;
            }

            _logger.NodeOutput(Plan.Name, line);
            if (!_ready.Task.IsCompleted && IsReadyLine(line))
            {
                _ready.TrySetResult();
            }
        }
    }

    /// <summary>Whether <paramref name="line"/> is the emulator's JSON log line with <c>msg</c> "Waiting for connections".</summary>
    public static bool IsReadyLine(string line)
    {
        if (string.IsNullOrEmpty(line) || line[0] != '{')
        {
            return false;
        }

        try
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("msg", out var msg)
                && msg.ValueKind == JsonValueKind.String
                && msg.GetString() == ReadyMessage;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task<int> WatchExitAsync()
    {
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await _pumps.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var code = _process.ExitCode;
        if (Volatile.Read(ref _stopping) == 0 && _ready.Task.IsCompleted)
        {
            _logger.NodeExited(Plan.Name, ProcessId, code);
        }

        return code;
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Same.
        }
    }
}
