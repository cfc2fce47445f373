using System.Net.Sockets;
using System.Text;
using DistributedSync.TestKit.Faults;
using DistributedSync.TestKit.Tests.Support;
using static DistributedSync.TestKit.Tests.Support.SocketTesting;

namespace DistributedSync.TestKit.Tests.Faults;

public sealed class PassThroughTests
{
    [Fact]
    public async Task PassThrough_FourMebibytesEachWay_ArriveByteExact()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.Port);
        using var client = await ConnectAsync(proxy.Port);
        var data = RandomBytes(4 * 1024 * 1024, seed: 42);

        var receiving = ReceiveExactlyAsync(client, data.Length);
        await SendAllAsync(client, data);
        var echoed = await receiving;

        Assert.Equal(data, echoed);
        await WaitUntilAsync(() => proxy.BytesForwarded == 2L * data.Length, "both directions counted");
        Assert.Equal(data.Length, echo.BytesReceived);
        Assert.Equal(1, proxy.ActiveConnections);
        Assert.Equal(Fault.None, proxy.Fault);
    }

    [Fact]
    public async Task PassThrough_ClientClosesItsSide_ConnectionEndsAndIsCountedDown()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = FaultProxy.Start(echo.Port);
        using var client = await ConnectAsync(proxy.Port);
        Assert.Equal([1, 2, 3], await SocketTesting.EchoAsync(client, [1, 2, 3]));

        client.Shutdown(SocketShutdown.Send);

        Assert.Equal(ReadOutcome.EndOfStream, await OutcomeAsync(ReadOneAsync(client), Patience));
        await WaitUntilAsync(() => proxy.ActiveConnections == 0, "the finished connection is counted down");
    }

    [Fact]
    public async Task UpstreamPort_Switched_NewConnectionsReachTheNewUpstream()
    {
        await using var first = EchoServer.Start("A"u8.ToArray());
        await using var second = EchoServer.Start("B"u8.ToArray());
        await using var proxy = FaultProxy.Start(first.Port);
        using var before = await ConnectAsync(proxy.Port);
        Assert.Equal("A", Encoding.ASCII.GetString(await ReceiveExactlyAsync(before, 1)));

        proxy.UpstreamPort = second.Port;
        using var after = await ConnectAsync(proxy.Port);

        Assert.Equal(second.Port, proxy.UpstreamPort);
        Assert.Equal("B", Encoding.ASCII.GetString(await ReceiveExactlyAsync(after, 1)));
        Assert.Equal([7, 8], await SocketTesting.EchoAsync(before, [7, 8]));
        Assert.Equal(2, first.BytesReceived);
        Assert.Equal(0, second.BytesReceived);
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.0.10")]
    [InlineData("0.0.0.0")]
    [InlineData("example.com")]
    [InlineData("")]
    public void Start_NonLoopbackUpstream_ThrowsArgumentException(string host)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => FaultProxy.Start(27017, upstreamHost: host));

        Assert.IsNotType<ArgumentOutOfRangeException>(error);
        Assert.Equal("upstreamHost", error.ParamName);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.2")]
    [InlineData("localhost")]
    [InlineData("::1")]
    public async Task Start_LoopbackUpstream_IsAccepted(string host)
    {
        await using var proxy = FaultProxy.Start(27017, upstreamHost: host);

        Assert.NotEqual(0, proxy.Port);
        Assert.Contains("27017", proxy.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(65536, 0)]
    [InlineData(27017, -1)]
    [InlineData(27017, 70000)]
    public void Start_PortOutOfRange_Throws(int upstreamPort, int listenPort)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultProxy.Start(upstreamPort, listenPort));
    }

    [Fact]
    public async Task Start_ListenPortGiven_ListensThere()
    {
        await using var echo = EchoServer.Start();
        int port;
        await using (var probe = FaultProxy.Start(echo.Port))
        {
            port = probe.Port;
        }

        await using var proxy = FaultProxy.Start(echo.Port, listenPort: port);
        using var client = await ConnectAsync(port);

        Assert.Equal(port, proxy.Port);
        Assert.Equal([5], await SocketTesting.EchoAsync(client, [5]));
    }

    [Fact]
    public async Task DisposeAsync_WithOpenConnections_CompletesAndClosesThem()
    {
        await using var echo = EchoServer.Start();
        var proxy = FaultProxy.Start(echo.Port);
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = await ConnectAsync(proxy.Port);
                clients.Add(client);
                Assert.Equal([(byte)i], await SocketTesting.EchoAsync(client, [(byte)i]));
            }

            proxy.SetFault(Fault.Delay(TimeSpan.FromMinutes(5)));
            await SendAllAsync(clients[0], new byte[] { 9 });
            await WaitUntilAsync(() => proxy.HeldChunks == 1, "a chunk is held by the delay");

            await proxy.DisposeAsync().AsTask().WaitAsync(Patience, TestContext.Current.CancellationToken);

            foreach (var client in clients)
            {
                Assert.NotEqual(ReadOutcome.Timeout, await OutcomeAsync(ReadOneAsync(client), Patience));
            }

            Assert.Equal(0, proxy.ActiveConnections);
            await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(proxy.Port));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
            await proxy.DisposeAsync();
        }
    }
}
