using System.Net.Sockets;
using System.Runtime.InteropServices;
using DistributedSync.Bson;
using DistributedSync.Emulator.Server;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Hosting;

/// <summary>
/// The emulator process: parse the flags, start a node, serve until SIGTERM/SIGINT, stop
/// cleanly. Exit codes follow mongod: 0 after a signal, 2 for a bad command line, 100 when the
/// data directory is locked by another process, 48 when a listener cannot be set up (e.g. the
/// port is in use), 1 for any other startup failure. A startup failure prints one line on
/// stderr (and an error line in the log).
/// </summary>
public static class EmulatorProgram
{
    /// <summary>mongod's exit code for a data directory in use.</summary>
    public const int DbPathInUseExitCode = 100;

    /// <summary>mongod's exit code for a network (listener) failure.</summary>
    public const int NetworkErrorExitCode = 48;

    /// <summary>Runs the process; returns its exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        stdout ??= Console.Out;
        stderr ??= Console.Error;

        // --parentPid N (used by the daemon for its embedded nodes): exit when that process is gone.
        if (ParentProcessWatchdog.StartFromArguments(ref args) is { } watchdogError)
        {
            await stderr.WriteLineAsync("Error parsing command line: " + watchdogError).ConfigureAwait(false);
            return EmulatorCommandLine.BadOptionsExitCode;
        }
        var parsed = EmulatorCommandLine.Parse(args, stdout);
        if (parsed.Options is not { } options)
        {
            if (parsed.Error is not null)
            {
                await stderr.WriteLineAsync("Error parsing command line: " + parsed.Error).ConfigureAwait(false);
                await stderr.WriteLineAsync("try 'DistributedSync.Emulator --help' for more information").ConfigureAwait(false);
            }

            return parsed.ExitCode;
        }

        // Registered for the whole run, so a signal during startup or shutdown is never fatal.
        var signalled = new TaskCompletionSource<PosixSignal>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            signalled.TrySetResult(context.Signal);
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        ServerLog log;
        try
        {
            log = options.LogPath is null ? new ServerLog(stdout, quiet: options.Quiet) : ServerLog.AppendToFile(options.LogPath, quiet: options.Quiet);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"Failed to open the log file '{options.LogPath}': {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        using (log)
        {
            return await ServeAsync(options, log, stderr, signalled.Task).ConfigureAwait(false);
        }
    }

    private static async Task<int> ServeAsync(EmulatorOptions options, ServerLog log, TextWriter stderr, Task<PosixSignal> signalled)
    {
        EmulatorHost host;
        try
        {
            host = await EmulatorHost.StartAsync(options, log).ConfigureAwait(false);
        }
        catch (StorageLockedException ex)
        {
            log.Error("STORAGE", 20557, "initandlisten", "DBException in initAndListen, terminating", new BsonDocument("error", "DBPathInUse: " + ex.Message));
            await stderr.WriteLineAsync("DBPathInUse: " + ex.Message).ConfigureAwait(false);
            return DbPathInUseExitCode;
        }
        catch (SocketException ex)
        {
            var what = ex.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"Address already in use: port {options.Port} is taken by another process"
                : ex.Message;
            log.Error("NETWORK", 23024, "initandlisten", "Failed to set up listener", new BsonDocument("error", new BsonDocument
            {
                { "code", 9001 },
                { "codeName", "SocketException" },
                { "errmsg", what },
            }));
            await stderr.WriteLineAsync("Failed to set up listener: " + what).ConfigureAwait(false);
            return NetworkErrorExitCode;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.Error("STORAGE", 20557, "initandlisten", "DBException in initAndListen, terminating", new BsonDocument("error", ex.Message));
            await stderr.WriteLineAsync("Startup failed: " + ex.Message).ConfigureAwait(false);
            return 1;
        }

        var signal = await signalled.ConfigureAwait(false);
        var number = signal == PosixSignal.SIGINT ? 2 : 15;
        log.Info("CONTROL", 23377, "SignalHandler", "Received signal", new BsonDocument
        {
            { "signal", number },
            { "error", signal == PosixSignal.SIGINT ? "Interrupt" : "Terminated" },
        });
        await host.DisposeAsync().ConfigureAwait(false);
        log.Info("CONTROL", 20565, "SignalHandler", "Now exiting");
        log.Info("CONTROL", 23138, "SignalHandler", "Shutting down", new BsonDocument("exitCode", 0));
        return 0;
    }
}
