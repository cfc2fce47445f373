using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Settings.Configuration;

namespace DistributedSync.Daemon.Logging;

/// <summary>
/// Builds the Serilog logger from the <c>Serilog</c> configuration section (sinks, levels,
/// per-category overrides, output templates); the daemon bridges it into
/// Microsoft.Extensions.Logging with <c>AddSerilog</c>. Without that section the daemon logs to
/// the console at Information.
/// </summary>
public static class SerilogSetup
{
    /// <summary>The configuration section read.</summary>
    public const string SectionName = "Serilog";

    /// <summary>The console output template used when the configuration has no <c>Serilog</c> section.</summary>
    public const string DefaultConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>The sinks this build ships (Serilog would silently ignore any other name).</summary>
    public static readonly IReadOnlyList<string> AvailableSinks = ["Console", "File"];

    /// <summary>Creates the logger described by <paramref name="configuration"/>.</summary>
    /// <exception cref="InvalidOperationException">The section names an unknown sink or a bad argument.</exception>
    public static Serilog.Core.Logger CreateLogger(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var logger = new LoggerConfiguration();
        if (configuration.GetSection(SectionName).Exists())
        {
            foreach (var sink in configuration.GetSection(SectionName + ":WriteTo").GetChildren())
            {
                var name = sink["Name"] ?? sink.Value;
                if (!AvailableSinks.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"{sink.Path}: unknown Serilog sink '{name}' (available: {string.Join(", ", AvailableSinks)}).");
                }
            }

            // The sink assemblies are named here so that no dependency scanning is needed.
            var readerOptions = new ConfigurationReaderOptions(
                typeof(Serilog.ConsoleLoggerConfigurationExtensions).Assembly,
                typeof(Serilog.FileLoggerConfigurationExtensions).Assembly)
            {
                SectionName = SectionName,
            };
            logger.ReadFrom.Configuration(configuration, readerOptions);
        }
        else
        {
            logger.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", Serilog.Events.LogEventLevel.Information)
                .WriteTo.Console(outputTemplate: DefaultConsoleTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }

        return logger.Enrich.FromLogContext().CreateLogger();
    }
}
