using DistributedSync.Daemon.Embedded;
using DistributedSync.Daemon.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DistributedSync.Daemon.Hosting;

/// <summary>
/// The daemon process: build, start, run until SIGTERM/SIGINT (Ctrl+C), stop. Exit codes:
/// 0 after a normal stop, 2 for invalid configuration (every problem is printed, one a line,
/// naming its key), 1 when anything else prevents the start (an embedded node or the HTTP port).
/// </summary>
public static class DaemonProgram
{
    /// <summary>The exit code for invalid configuration.</summary>
    public const int InvalidConfigurationExitCode = 2;

    /// <summary>The exit code for any other startup failure.</summary>
    public const int StartupFailedExitCode = 1;

    /// <summary>Runs the daemon; returns the process exit code.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="configure">Registers the replication engine (see <see cref="DaemonApplication.Build"/>).</param>
    /// <param name="stderr">Where startup failures are printed (default: the console's error stream).</param>
    public static async Task<int> RunAsync(string[] args, Action<WebApplicationBuilder> configure, TextWriter? stderr = null)
    {
        stderr ??= Console.Error;
        WebApplication app;
        try
        {
            app = DaemonApplication.Build(args, configure);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidOperationException or FormatException or IOException)
        {
            await stderr.WriteLineAsync("Invalid configuration: " + ex.Message).ConfigureAwait(false);
            return InvalidConfigurationExitCode;
        }

        await using (app.ConfigureAwait(false))
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DistributedSync.Daemon");
            try
            {
                await app.StartAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (IsConfigurationError(ex))
            {
                var failures = ConfigurationFailures(ex);
                logger.InvalidConfiguration(string.Join(" ", failures));
                await stderr.WriteLineAsync("Invalid configuration:").ConfigureAwait(false);
                foreach (var failure in failures)
                {
                    await stderr.WriteLineAsync("  " + failure).ConfigureAwait(false);
                }

                return InvalidConfigurationExitCode;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Expected failures (a node that cannot start, a port in use) are explained by their message.
                logger.StartupFailed(ex.Message, ex is EmbeddedNodeException or IOException ? null : ex);
                await stderr.WriteLineAsync("The daemon could not start: " + ex.Message).ConfigureAwait(false);
                await StopQuietlyAsync(app).ConfigureAwait(false);
                return StartupFailedExitCode;
            }

            await app.WaitForShutdownAsync().ConfigureAwait(false);
            return 0;
        }
    }

    private static bool IsConfigurationError(Exception ex) => ex switch
    {
        OptionsValidationException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsConfigurationError),
        _ => false,
    };

    private static List<string> ConfigurationFailures(Exception ex) => ex switch
    {
        OptionsValidationException validation => [.. validation.Failures],
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(ConfigurationFailures)],
        _ => [ex.Message],
    };

    private static async Task StopQuietlyAsync(WebApplication app)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or EmbeddedNodeException or AggregateException)
        {
            // Best effort: the embedded nodes are also stopped when the host is disposed.
        }
    }
}
