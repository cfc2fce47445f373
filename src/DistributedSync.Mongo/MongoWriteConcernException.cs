using DistributedSync.Bson;

namespace DistributedSync.Mongo;

/// <summary>
/// A command that is not a CRUD write (create, drop, createIndexes, findAndModify...) succeeded
/// (<c>ok: 1</c>) but its write concern was not satisfied.
/// </summary>
public sealed class MongoWriteConcernException : MongoCommandException
{
    /// <summary>Creates the exception.</summary>
    public MongoWriteConcernException(string commandName, WriteConcernError error, BsonDocument reply, IEnumerable<string>? errorLabels = null)
        : base(commandName, (error ?? throw new ArgumentNullException(nameof(error))).Code, error.CodeName, error.Message, reply, errorLabels)
        => WriteConcernError = error;

    /// <summary>The write concern error.</summary>
    public WriteConcernError WriteConcernError { get; }
}
