using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using DistributedSync.Bson;
using System.Text;
using DistributedSync.Wire;

namespace DistributedSync.EmulatorBench;

/// <summary>
/// A diagnostic, not a client: the batched-insert workload with every OP_MSG encoded before the
/// clock starts and sent over a plain socket, so the time measured is the server's alone (read,
/// decode, validate, store, commit, reply) plus the loopback transfer. Compared with the client
/// rows it shows how much of a batch's time the client costs; compared with the raw SQLite rate,
/// how much the server adds to SQLite's own work.
/// </summary>
internal static class PreEncodedWireWorkload
{
    /// <param name="keep">Leave the collection for <see cref="ScanAsync"/> instead of dropping it.</param>
    public static async Task<double> InsertAsync(int port, string database, string collection, int batches, int batchSize, bool keep)
    {
        var messages = new byte[batches][];
        for (var b = 0; b < batches; b++)
        {
            var documents = Enumerable.Range(0, batchSize).Select(_ => BenchDocuments.WithId(ObjectId.GenerateNewId()));
            messages[b] = WireMessageCodec.ToBytes(CommandMessage.Create(database, new BsonDocument { { "insert", collection }, { "ordered", true } }, "documents", documents));
        }

        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var stream = tcp.GetStream();
        await CommandAsync(stream, database, new BsonDocument("drop", collection), allowFailure: true);

        var clock = Stopwatch.StartNew();
        foreach (var message in messages)
        {
            await stream.WriteAsync(message);
            var reply = await WireStream.ReadMessageAsync(stream) as OpMsgMessage
                ?? throw new InvalidOperationException("The server closed the connection.");
            if (reply.Body.GetValueOrDefault("n") is not { IsNumeric: true } n || n.ToInt64() != batchSize)
            {
                throw new InvalidOperationException("A pre-encoded insert failed: " + reply.Body);
            }
        }

        clock.Stop();
        if (!keep)
        {
            await CommandAsync(stream, database, new BsonDocument("drop", collection), allowFailure: false);
        }

        return (long)batches * batchSize / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The scan with find/getMore sent over a plain socket and the replies only walked (the
    /// documents are counted, not decoded): the server's share of the scan.
    /// </summary>
    public static async Task<double> ScanAsync(int port, string database, string collection, int? batchSize, long expected)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var stream = tcp.GetStream();
        var find = new BsonDocument { { "find", collection }, { "filter", new BsonDocument() } };
        if (batchSize is { } size)
        {
            find.Add("batchSize", size);
        }

        var clock = Stopwatch.StartNew();
        var (cursorId, count) = await CursorRoundTripAsync(stream, database, find);
        while (cursorId != 0)
        {
            var getMore = new BsonDocument { { "getMore", cursorId }, { "collection", collection } };
            if (batchSize is { } more)
            {
                getMore.Add("batchSize", more);
            }

            var (next, batch) = await CursorRoundTripAsync(stream, database, getMore);
            cursorId = next;
            count += batch;
        }

        clock.Stop();
        if (count != expected)
        {
            throw new InvalidOperationException($"The socket scan of {collection} counted {count} documents, expected {expected}.");
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task<(long CursorId, long Count)> CursorRoundTripAsync(NetworkStream stream, string database, BsonDocument command)
    {
        await WireStream.WriteMessageAsync(stream, CommandMessage.Create(database, command));
        using var frame = await WireStream.ReadFrameAsync(stream) ?? throw new InvalidOperationException("The server closed the connection.");

        // OP_MSG: header (16), flags (4), kind 0 (1), then the body: {cursor: {firstBatch|nextBatch: [...], id, ns}, ok}.
        var body = frame.Memory.Span[21..];
        var cursor = body[(Field(body, "cursor", 0x03) ?? throw new InvalidOperationException("No cursor in the reply."))];
        var batch = cursor[(Field(cursor, "firstBatch", 0x04) ?? Field(cursor, "nextBatch", 0x04) ?? throw new InvalidOperationException("No batch in the reply."))];
        var id = cursor[(Field(cursor, "id", 0x12) ?? throw new InvalidOperationException("No cursor id in the reply."))];
        long count = 0;
        for (var position = 4; batch[position] != 0; count++)
        {
            position = SkipElement(batch, position);
        }

        return (BinaryPrimitives.ReadInt64LittleEndian(id), count);
    }

    /// <summary>Where the value of a top-level field of the given type lies in a BSON document, or null.</summary>
    private static Range? Field(ReadOnlySpan<byte> document, string name, byte type)
    {
        for (var position = 4; document[position] != 0;)
        {
            var nameEnd = document[(position + 1)..].IndexOf((byte)0) + position + 1;
            var next = SkipElement(document, position);
            if (document[position] == type && Encoding.UTF8.GetString(document[(position + 1)..nameEnd]) == name)
            {
                return (nameEnd + 1)..next;
            }

            position = next;
        }

        return null;
    }

    /// <summary>The offset after the element starting at <paramref name="position"/> (the types a cursor reply holds).</summary>
    private static int SkipElement(ReadOnlySpan<byte> document, int position)
    {
        var type = document[position];
        var value = document[(position + 1)..].IndexOf((byte)0) + position + 2;
        return type switch
        {
            0x01 or 0x12 => value + 8,
            0x10 => value + 4,
            0x02 => value + 4 + BinaryPrimitives.ReadInt32LittleEndian(document[value..]),
            0x03 or 0x04 => value + BinaryPrimitives.ReadInt32LittleEndian(document[value..]),
            _ => throw new InvalidOperationException($"Unexpected BSON type 0x{type:X2} in a cursor reply."),
        };
    }

    private static async Task CommandAsync(NetworkStream stream, string database, BsonDocument command, bool allowFailure)
    {
        await WireStream.WriteMessageAsync(stream, CommandMessage.Create(database, command));
        var reply = await WireStream.ReadMessageAsync(stream) as OpMsgMessage
            ?? throw new InvalidOperationException("The server closed the connection.");
        if (!allowFailure && reply.Body.GetValueOrDefault("ok") is { IsNumeric: true } ok && ok.ToDouble() != 1)
        {
            throw new InvalidOperationException($"{command} failed: {reply.Body}");
        }
    }
}
