using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace DistributedSync.TestKit.Processes;

public sealed partial class EmulatorProcess
{
    /// <summary>Kills the process at once (SIGKILL) and waits for it to be gone.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>Asks the process to stop (SIGTERM) and waits for it to exit; returns its exit code.</summary>
    /// <exception cref="TimeoutException">It did not exit in time (it is then killed).</exception>
    public async Task<int> StopAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var process = _process ?? throw new InvalidOperationException("The emulator has not been started.");
        if (!process.HasExited)
        {
            await SendSignalAsync("TERM", cancellationToken).ConfigureAwait(false);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                KillQuietly();
                throw new TimeoutException("The emulator did not exit after SIGTERM.\n" + Diagnostics);
            }
        }

        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Waits for the current run to end on its own; returns its exit code.</summary>
    /// <exception cref="TimeoutException">It did not exit in time.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var process = _process ?? throw new InvalidOperationException("The emulator has not been started.");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The emulator did not exit within {timeout}.\n" + Diagnostics);
        }

        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>
    /// Stops the process (SIGTERM, or SIGKILL when <paramref name="kill"/>) if it runs, then starts
    /// it again on the same data directory and, by default, the same port.
    /// </summary>
    public async Task RestartAsync(bool kill = false, bool samePort = true, CancellationToken cancellationToken = default)
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
        await LaunchAsync(samePort ? Port : _options.Port, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Suspends the process (SIGSTOP): it keeps its sockets but answers nothing.</summary>
    public Task PauseAsync(CancellationToken cancellationToken = default) => SendSignalAsync("STOP", cancellationToken);

    /// <summary>Resumes a paused process (SIGCONT).</summary>
    public Task ResumeAsync(CancellationToken cancellationToken = default) => SendSignalAsync("CONT", cancellationToken);

    private async Task LaunchAsync(int port, CancellationToken cancellationToken)
    {
        var arguments = new List<string>
        {
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--dbpath", DbPath,
        };
        if (_options.Auth)
        {
            arguments.Add("--auth");
        }

        if (_options.User is not null && _options.Password is not null)
        {
            arguments.AddRange(["--user", _options.User, "--password", _options.Password]);
        }

        arguments.AddRange(_options.ExtraArguments);
        var mark = _output.StandardOutput.Count;
        var process = CreateProcess(_options.EmulatorDll ?? LocateEmulatorDll(), arguments, _output);
        process.Start();
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string line;
        try
        {
            line = await _output.WaitForLineAsync(
                l => l.Contains("\"Waiting for connections\"", StringComparison.Ordinal),
                () => ExitedAndDrained(process),
                _options.StartTimeout,
                cancellationToken,
                skip: mark).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            KillQuietly();
            throw new InvalidOperationException(
                (process.HasExited ? $"The emulator exited with code {process.ExitCode} before accepting connections.\n" : ex.Message + "\n") + Diagnostics);
        }

        Port = ParsePort(line);
    }

    private static bool ExitedAndDrained(Process process)
    {
        if (!process.HasExited)
        {
            return false;
        }

        // Without a timeout, WaitForExit also waits for the redirected streams to reach their end.
        process.WaitForExit();
        return true;
    }

    /// <summary>The port in mongod's "Waiting for connections" log line.</summary>
    public static int ParsePort(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        using var json = JsonDocument.Parse(line);
        return json.RootElement.GetProperty("attr").GetProperty("port").GetInt32();
    }

    /// <summary>Sends a signal by name (<c>TERM</c>, <c>INT</c>, <c>STOP</c>, ...) with <c>kill</c>; nothing when the process has exited.</summary>
    public async Task SendSignalAsync(string signal, CancellationToken cancellationToken = default)
    {
        var process = _process ?? throw new InvalidOperationException("The emulator has not been started.");
        if (process.HasExited)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill")
        {
            ArgumentList = { "-" + signal, process.Id.ToString(CultureInfo.InvariantCulture) },
            UseShellExecute = false,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("Cannot run kill.");
        await kill.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (kill.ExitCode != 0 && !process.HasExited)
        {
            throw new InvalidOperationException($"kill -{signal} {process.Id} failed: " + await kill.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
        }
    }

    private void KillQuietly()
    {
        try
        {
            if (_process is { HasExited: false } process)
            {
                // A stopped process dies from SIGKILL too.
                process.Kill(entireProcessTree: true);
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
