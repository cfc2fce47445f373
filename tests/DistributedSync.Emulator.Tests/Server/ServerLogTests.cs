using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DistributedSync.Bson;
using DistributedSync.Emulator.Hosting;
using DistributedSync.Emulator.Server;
using Xunit;

namespace DistributedSync.Emulator.Tests.Server;

public sealed class ServerLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Lines_are_padded_like_mongod_and_valid_json()
    {
        var time = new DateTimeOffset(2024, 5, 1, 15, 16, 17, 180, TimeSpan.Zero);

        var info = ServerLog.Format(time, LogSeverity.Info, "NETWORK", 23016, "listener", "Waiting for connections", new BsonDocument { { "port", 27017 }, { "ssl", "off" } });
        var debug = ServerLog.Format(time, LogSeverity.Debug, "-", 4615611, "main", "quote \" here", null);

        Assert.Equal("""{"t":{"$date":"2024-05-01T15:16:17.180+00:00"},"s":"I",  "c":"NETWORK",  "id":23016,   "ctx":"listener","msg":"Waiting for connections","attr":{"port":27017,"ssl":"off"}}""", info);
        Assert.Equal("""{"t":{"$date":"2024-05-01T15:16:17.180+00:00"},"s":"D1", "c":"-",        "id":4615611, "ctx":"main","msg":"quote \" here"}""", debug);
        JsonDocument.Parse(debug).Dispose();
    }

    [Fact]
    public void The_ring_keeps_the_most_recent_lines()
    {
        using var log = new ServerLog(null);
        for (var i = 0; i < ServerLog.RingCapacity + 10; i++)
        {
            log.Info("-", 1, "test", "line " + i);
        }

        var recent = log.RecentLines();
        Assert.Equal(ServerLog.RingCapacity, recent.Count);
        Assert.Contains("\"line 10\"", recent[0], StringComparison.Ordinal);
        Assert.Equal(ServerLog.RingCapacity + 10, log.TotalLinesWritten);
    }

    [Fact]
    public void A_log_file_is_appended_to()
    {
        var path = Path.Combine(Path.GetTempPath(), "distsync-log-" + Guid.NewGuid().ToString("N"), "node.log");
        try
        {
            using (var first = ServerLog.AppendToFile(path))
            {
                first.Info("-", 1, "test", "first run");
            }

            using (var second = ServerLog.AppendToFile(path))
            {
                second.Info("-", 1, "test", "second run");
            }

            var lines = File.ReadAllLines(path);
            Assert.Equal(2, lines.Length);
            Assert.Contains("first run", lines[0], StringComparison.Ordinal);
            Assert.Contains("second run", lines[1], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task Quiet_mode_leaves_out_connection_events()
    {
        await using var loud = await InProcessServer.StartAsync(cancellationToken: Ct);
        await using var quiet = await InProcessServer.StartAsync(new EmulatorOptions { Quiet = true }, Ct);
        foreach (var server in new[] { loud, quiet })
        {
            await using var client = await server.ConnectAsync(Ct);
            await client.CommandAsync("admin", new BsonDocument("ping", 1), Ct);
        }

        Assert.Contains(loud.Log.RecentLines(), l => l.Contains("\"Connection accepted\"", StringComparison.Ordinal));
        Assert.DoesNotContain(quiet.Log.RecentLines(), l => l.Contains("\"Connection accepted\"", StringComparison.Ordinal));
        Assert.Contains(quiet.Log.RecentLines(), l => l.Contains("\"Waiting for connections\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Several_bind_addresses_share_one_port()
    {
        if (!Socket.OSSupportsIPv6 || !CanBind(IPAddress.IPv6Loopback))
        {
            Assert.Skip("IPv6 loopback is not available on this machine.");
        }

        await using var server = await InProcessServer.StartAsync(new EmulatorOptions { BindIp = ["127.0.0.1", "::1"] }, Ct);

        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], server.Host.EndPoints.Select(e => e.Address));
        Assert.All(server.Host.EndPoints, e => Assert.Equal(server.Port, e.Port));
        using var tcp = new TcpClient(AddressFamily.InterNetworkV6);
        await tcp.ConnectAsync(IPAddress.IPv6Loopback, server.Port, Ct);
        Assert.True(tcp.Connected);
    }

    private static bool CanBind(IPAddress address)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
