namespace DistributedSync.Mongo;

/// <summary>
/// A request the client refused before sending it, or a server it cannot talk to: a document
/// larger than the server accepts, an incompatible wire version, a disposed client.
/// </summary>
public sealed class MongoClientException : MongoException
{
    /// <summary>Creates the exception.</summary>
    public MongoClientException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
