// The DistributedSync daemon: options, Serilog, embedded emulator nodes, the HTTP API.
using DistributedSync.Daemon.Hosting;
using DistributedSync.Daemon.Sync;
using Microsoft.Extensions.DependencyInjection;

return await DaemonProgram.RunAsync(args, builder =>
{
    // THE ENGINE SEAM: the one registration the replication engine replaces. Register the
    // engine's hosted service(s) here as well, so that they start after the embedded nodes.
    builder.Services.AddSyncEngine();
}).ConfigureAwait(false);
