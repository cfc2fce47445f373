using System.Text;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Wire;

namespace DistributedSync.Mongo.Operations;

/// <summary>
/// Splits the statements of a write command (insert documents, update or delete statements) into
/// batches that each fit one OP_MSG: at most <c>maxWriteBatchSize</c> statements, and a whole
/// message (header, flags, the command body with <c>$db</c>, the kind-1 section and the
/// statements) of at most <c>maxMessageSizeBytes</c>.
/// </summary>
internal static class WriteBatchSplitter
{
    /// <summary>One batch: <paramref name="Offset"/> and <paramref name="Count"/> in the caller's list.</summary>
    internal readonly record struct Batch(int Offset, int Count);

    /// <summary>The bytes of a message besides its statements.</summary>
    /// <param name="command">The command body without <c>$db</c>.</param>
    /// <param name="database">The database, added as <c>$db</c> when the body is sent.</param>
    /// <param name="sequenceIdentifier">The kind-1 section's identifier (e.g. <c>documents</c>).</param>
    public static int Overhead(BsonDocument command, string database, string sequenceIdentifier)
    {
        ArgumentNullException.ThrowIfNull(command);
        var body = new BsonDocument(command).Add(CommandMessage.DatabaseField, database);
        return MessageHeader.Size
            + 4                                                          // flagBits
            + 1 + BsonCodec.GetEncodedSize(body)                         // kind 0, body
            + 1 + 4 + Encoding.UTF8.GetByteCount(sequenceIdentifier) + 1; // kind 1, size, identifier
    }

    /// <summary>Splits statements of the given encoded sizes.</summary>
    /// <param name="sizes">Each statement's encoded size.</param>
    /// <param name="overhead">See <see cref="Overhead"/>.</param>
    /// <param name="maxCount">The server's <c>maxWriteBatchSize</c>.</param>
    /// <param name="maxMessageSize">The server's <c>maxMessageSizeBytes</c>.</param>
    /// <exception cref="MongoClientException">One statement alone does not fit a message.</exception>
    public static List<Batch> Split(IReadOnlyList<int> sizes, int overhead, int maxCount, int maxMessageSize)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        var batches = new List<Batch>();
        var start = 0;
        long bytes = overhead;
        for (var i = 0; i < sizes.Count; i++)
        {
            if (overhead + (long)sizes[i] > maxMessageSize)
            {
                throw new MongoClientException(
                    $"The statement at index {i} encodes to {sizes[i]} bytes, too large for one message of at most {maxMessageSize} bytes.");
            }

            var count = i - start;
            if (count > 0 && (count >= maxCount || bytes + sizes[i] > maxMessageSize))
            {
                batches.Add(new Batch(start, count));
                start = i;
                bytes = overhead;
            }

            bytes += sizes[i];
        }

        if (sizes.Count > start)
        {
            batches.Add(new Batch(start, sizes.Count - start));
        }

        return batches;
    }
}
