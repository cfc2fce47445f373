using DistributedSync.Daemon.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DistributedSync.Daemon.Sync;

/// <summary>Registers the replication engine: one <see cref="SyncEngine"/> serving as <see cref="ISyncEngine"/> and as a hosted service.</summary>
public static class SyncEngineRegistration
{
    /// <summary>Adds the engine (and <see cref="TimeProvider.System"/> unless a time provider is registered).</summary>
    public static IServiceCollection AddSyncEngine(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SyncEngine>();
        services.AddSingleton<ISyncEngine>(sp => sp.GetRequiredService<SyncEngine>());
        services.AddHostedService(sp => sp.GetRequiredService<SyncEngine>());
        return services;
    }
}
