using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DistributedSync.TestKit.Tests.Support;

/// <summary>How a read attempt ended.</summary>
internal enum ReadOutcome
{
    /// <summary>At least one byte arrived.</summary>
    Data,

    /// <summary>The peer closed (a read of zero bytes).</summary>
    EndOfStream,

    /// <summary>The read failed with a socket error (a reset).</summary>
    SocketError,

    /// <summary>Nothing arrived within the timeout.</summary>
    Timeout,
}

/// <summary>Client-side helpers: connect, read exactly, read with a timeout, wait for a condition.</summary>
internal static class SocketTesting
{
    /// <summary>A generous limit for things that should take milliseconds (a loaded 2-core machine).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(Patience);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, TestContext.Current.CancellationToken);
            data = data[sent..];
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes within <see cref="Patience"/>.</summary>
    /// <exception cref="EndOfStreamException">The peer closed first.</exception>
    public static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Patience * 2);
        var data = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var read = await socket.ReceiveAsync(data.AsMemory(filled), SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                throw new EndOfStreamException($"EOF after {filled} of {count} bytes.");
            }

            filled += read;
        }

        return data;
    }

    /// <summary>Sends <paramref name="data"/> and reads the same number of bytes back.</summary>
    public static async Task<byte[]> EchoAsync(Socket socket, byte[] data)
    {
        await SendAllAsync(socket, data);
        return await ReceiveExactlyAsync(socket, data.Length);
    }

    /// <summary>Starts a one-byte read; see <see cref="OutcomeAsync"/>.</summary>
    public static async Task<ReadOutcome> ReadOneAsync(Socket socket)
    {
        var buffer = new byte[1];
        try
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken);
            return read == 0 ? ReadOutcome.EndOfStream : ReadOutcome.Data;
        }
        catch (SocketException)
        {
            return ReadOutcome.SocketError;
        }
    }

    /// <summary>
    /// Connects and reads one byte: how a new connection fares. A connection reset right after
    /// accept may already fail in connect (the RST beats the client's look at the handshake),
    /// which counts as <see cref="ReadOutcome.SocketError"/>.
    /// </summary>
    public static async Task<ReadOutcome> NewConnectionOutcomeAsync(int port)
    {
        Socket socket;
        try
        {
            socket = await ConnectAsync(port);
        }
        catch (SocketException)
        {
            return ReadOutcome.SocketError;
        }

        using (socket)
        {
            return await OutcomeAsync(ReadOneAsync(socket), Patience);
        }
    }

    /// <summary>The outcome of <paramref name="read"/>, or <see cref="ReadOutcome.Timeout"/> when it did not end within <paramref name="timeout"/> (it keeps running).</summary>
    public static async Task<ReadOutcome> OutcomeAsync(Task<ReadOutcome> read, TimeSpan timeout)
    {
        try
        {
            return await read.WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            return ReadOutcome.Timeout;
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <see cref="Patience"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Patience, $"Timed out after {Patience} waiting for: {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(10), TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Random bytes from a fixed seed.</summary>
    public static byte[] RandomBytes(int count, int seed)
    {
        var data = new byte[count];
        new Random(seed).NextBytes(data);
        return data;
    }
}
