using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Wire;

namespace DistributedSync.Mongo.Operations;

/// <summary>
/// Runs an <c>insert</c>, <c>update</c> or <c>delete</c> command whose statements travel as an
/// OP_MSG document sequence, split into as many batches as the server's limits require, all on
/// one connection. Statement indexes in the merged result refer to the caller's list. An ordered
/// write stops after the first batch that reports a write error.
/// </summary>
internal static class WriteCommandRunner
{
    /// <summary>The headroom mongod allows above <c>maxBsonObjectSize</c> for a statement's own fields.</summary>
    private const int CommandOverhead = 16 * 1024;

    /// <summary>Describes one write command.</summary>
    /// <param name="Database">The database.</param>
    /// <param name="CommandName">insert, update or delete.</param>
    /// <param name="Collection">The collection.</param>
    /// <param name="SequenceIdentifier">documents, updates or deletes.</param>
    /// <param name="Ordered">Whether to stop at the first error.</param>
    /// <param name="WriteConcern">The write concern.</param>
    /// <param name="ExtraFields">Further command fields (bypassDocumentValidation, comment, let).</param>
    internal sealed record Request(
        string Database,
        string CommandName,
        string Collection,
        string SequenceIdentifier,
        bool Ordered,
        WriteConcern WriteConcern,
        BsonDocument? ExtraFields = null);

    /// <summary>Runs the statements and merges the replies of every batch.</summary>
    /// <exception cref="MongoCommandException">A batch failed as a whole (<c>ok: 0</c>).</exception>
    /// <exception cref="MongoClientException">A statement cannot be encoded or is too large for a message.</exception>
    public static async Task<WriteCommandResult> ExecuteAsync(
        OperationExecutor executor,
        Request request,
        IReadOnlyList<BsonDocument> statements,
        CancellationToken cancellationToken)
    {
        var command = new BsonDocument
        {
            { request.CommandName, request.Collection },
            { "ordered", request.Ordered },
        };
        if (request.ExtraFields is { } extra)
        {
            foreach (var field in extra)
            {
                command.Set(field.Name, field.Value);
            }
        }

        if (request.WriteConcern.ToBsonDocument() is { } writeConcern)
        {
            command.Add("writeConcern", writeConcern);
        }

        var sizes = MeasureStatements(statements);
        using var lease = await executor.CheckOutAsync(cancellationToken).ConfigureAwait(false);
        var connection = lease.Connection;
        var description = connection.Description
            ?? throw new InvalidOperationException("A pooled connection has no server description.");
        CheckStatementSizes(sizes, request.CommandName == "insert" ? description.MaxBsonObjectSize : description.MaxBsonObjectSize + CommandOverhead);
        var batches = WriteBatchSplitter.Split(
            sizes,
            WriteBatchSplitter.Overhead(command, request.Database, request.SequenceIdentifier),
            description.MaxWriteBatchSize,
            description.MaxMessageSizeBytes);

        var result = new WriteCommandResult(acknowledged: request.WriteConcern.W != 0 || request.WriteConcern.WMode is not null);
        foreach (var batch in batches)
        {
            var sequence = new DocumentSequence(request.SequenceIdentifier, Slice(statements, batch));
            var reply = await executor.RunCommandAsync(connection, request.Database, command, [sequence], cancellationToken).ConfigureAwait(false);
            var firstError = result.Merge(reply, batch.Offset);
            if (request.Ordered && firstError is int failedAt)
            {
                result.UnprocessedCount = statements.Count - failedAt - 1;
                break;
            }
        }

        return result;
    }

    private static void CheckStatementSizes(int[] sizes, int max)
    {
        for (var i = 0; i < sizes.Length; i++)
        {
            if (sizes[i] > max)
            {
                throw new MongoClientException($"The document at index {i} encodes to {sizes[i]} bytes, above the server's limit of {max} bytes; nothing was sent.");
            }
        }
    }

    private static int[] MeasureStatements(IReadOnlyList<BsonDocument> statements)
    {
        var sizes = new int[statements.Count];
        for (var i = 0; i < sizes.Length; i++)
        {
            try
            {
                sizes[i] = BsonCodec.GetEncodedSize(statements[i]);
            }
            catch (ArgumentException ex)
            {
                throw new MongoClientException($"The statement at index {i} cannot be encoded: {ex.Message}", ex);
            }
        }

        return sizes;
    }

    private static IEnumerable<BsonDocument> Slice(IReadOnlyList<BsonDocument> statements, WriteBatchSplitter.Batch batch)
    {
        for (var i = batch.Offset; i < batch.Offset + batch.Count; i++)
        {
            yield return statements[i];
        }
    }
}
