using Microsoft.Extensions.Logging;

namespace DistributedSync.Daemon.Logging;

/// <summary>The daemon process: event ids 7000-7099.</summary>
public static partial class HostLog
{
    /// <summary>The configuration file in use.</summary>
    [LoggerMessage(EventId = 7001, EventName = "ConfigurationFile", Level = LogLevel.Information, Message = "Configuration file: {Path}")]
    public static partial void ConfigurationFile(this ILogger logger, string path);

    /// <summary>No configuration file was found: only environment variables and the command line apply.</summary>
    [LoggerMessage(EventId = 7002, EventName = "NoConfigurationFile", Level = LogLevel.Warning, Message = "No configuration file found (looked for config/appsettings.json in {WorkingDirectory} and {BaseDirectory}); using environment variables and the command line only")]
    public static partial void NoConfigurationFile(this ILogger logger, string workingDirectory, string baseDirectory);

    /// <summary>The configuration is invalid: the daemon stops.</summary>
    [LoggerMessage(EventId = 7003, EventName = "InvalidConfiguration", Level = LogLevel.Critical, Message = "Invalid configuration: {Failures}")]
    public static partial void InvalidConfiguration(this ILogger logger, string failures);

    /// <summary>The daemon could not start.</summary>
    [LoggerMessage(EventId = 7004, EventName = "StartupFailed", Level = LogLevel.Critical, Message = "The daemon could not start: {Reason}")]
    public static partial void StartupFailed(this ILogger logger, string reason, Exception? exception = null);
}
