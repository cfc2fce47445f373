using System.Net.Sockets;
using DistributedSync.Daemon.Sync;
using DistributedSync.Mongo;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>A refused connection (nothing listens: the node's process is gone) marks a node down at once.</summary>
public sealed class HeartbeatFailureTests
{
    [Fact]
    public void RefusedConnection_IsRecognisedThroughWrappingExceptions()
    {
        var refused = new SocketException((int)SocketError.ConnectionRefused);
        var wrapped = new MongoConnectionException("127.0.0.1:1", "connect failed", new IOException("io", refused));

        Assert.True(SyncEngine.IsConnectionRefused(refused));
        Assert.True(SyncEngine.IsConnectionRefused(wrapped));
    }

    [Fact]
    public void OtherFailures_AreNotRefusals()
    {
        Assert.False(SyncEngine.IsConnectionRefused(new MongoConnectionException("127.0.0.1:1", "reset", new SocketException((int)SocketError.ConnectionReset))));
        Assert.False(SyncEngine.IsConnectionRefused(new TimeoutException()));
        Assert.False(SyncEngine.IsConnectionRefused(null));
    }

    [Fact]
    public async Task ConnectingToAClosedPort_FailsAsRefused()
    {
        int port;
        using (var listener = new TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var client = new MongoClient($"mongodb://127.0.0.1:{port}/?connectTimeoutMS=2000&serverSelectionTimeoutMS=2000");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.PingAsync(TestContext.Current.CancellationToken));

        Assert.True(SyncEngine.IsConnectionRefused(error), error.ToString());
    }
}
