using DistributedSync.Daemon.Configuration;
using DistributedSync.Daemon.Embedded;
using DistributedSync.Daemon.Engine;
using DistributedSync.Daemon.Http;
using DistributedSync.Daemon.Logging;
using DistributedSync.Mongo.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;

namespace DistributedSync.Daemon.Hosting;

/// <summary>
/// Builds the daemon: configuration (file, environment, command line), Serilog, validated
/// options, the embedded nodes service, the HTTP API. The replication engine is plugged in by the
/// caller's <c>configure</c> callback, which must register an <see cref="ISyncEngine"/> (and may
/// register the engine's hosted services: they start after the embedded nodes and stop before them).
/// </summary>
public static class DaemonApplication
{
    /// <summary>Builds the application; it is not started.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="configure">Registers the engine (and, in tests, replaces configuration or services).</param>
    /// <exception cref="FileNotFoundException">A configuration file named by <c>--config</c> or <c>DISTSYNC_CONFIG</c> is missing.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="ISyncEngine"/> was registered, or the Serilog section is invalid.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
        var configFile = ConfigFileLocator.Locate(args, Directory.GetCurrentDirectory(), AppContext.BaseDirectory, Environment.GetEnvironmentVariable);
        ConfigFileLocator.ApplySources(builder.Configuration, configFile, args);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);

        builder.Services.AddOptions<DistributedSyncOptions>()
            .Configure<IConfiguration>(DistributedSyncOptionsBinder.BindInto)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DistributedSyncOptions>, DistributedSyncOptionsValidator>();

        // Registered before the engine so that the nodes are up before it starts and stop after it.
        builder.Services.AddSingleton<EmbeddedNodesService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedNodesService>());

        configure(builder);
        if (!builder.Services.Any(d => d.ServiceType == typeof(ISyncEngine)))
        {
            throw new InvalidOperationException("No ISyncEngine is registered: Program.cs must register the replication engine.");
        }

        builder.Logging.AddSerilog(SerilogSetup.CreateLogger(builder.Configuration), dispose: true);

        // Kestrel settings are read here, before the options are validated at start; invalid
        // values are reported by the validator before Kestrel would use them.
        var http = DistributedSyncOptionsBinder.Bind(builder.Configuration).Http;
        builder.WebHost.UseUrls([.. http.UrlList()]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = http.MaxRequestBodyBytes > 0 ? http.MaxRequestBodyBytes : HttpOptions.DefaultMaxRequestBodyBytes;
        });

        var app = builder.Build();
        app.UseApiErrors();
        app.MapDistributedSyncApi();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DistributedSync.Daemon");
        if (configFile is null)
        {
            logger.NoConfigurationFile(Directory.GetCurrentDirectory(), AppContext.BaseDirectory);
        }
        else
        {
            logger.ConfigurationFile(configFile);
        }

        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app, logger));
        return app;
    }

    /// <summary>The addresses the HTTP API listens on (the real ports when started with port 0).</summary>
    public static IReadOnlyList<string> ListeningAddresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
    }

    private static void LogStarted(WebApplication app, Microsoft.Extensions.Logging.ILogger logger)
    {
        foreach (var node in app.Services.GetRequiredService<IOptions<DistributedSyncOptions>>().Value.Nodes)
        {
            logger.NodeConfigured(node.Id, node.Name, MongoConnectionString.Parse(node.Uri));
        }

        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DistributedSync.Daemon.Http")
            .Listening(string.Join(", ", ListeningAddresses(app)));
    }
}
