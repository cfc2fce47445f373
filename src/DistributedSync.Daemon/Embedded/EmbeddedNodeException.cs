namespace DistributedSync.Daemon.Embedded;

/// <summary>An embedded node could not be started.</summary>
public sealed class EmbeddedNodeException : Exception
{
    /// <summary>Creates an exception.</summary>
    public EmbeddedNodeException()
        : this("?", "it could not be started.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public EmbeddedNodeException(string message)
        : base(message)
    {
        NodeName = string.Empty;
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public EmbeddedNodeException(string message, Exception innerException)
        : base(message, innerException)
    {
        NodeName = string.Empty;
    }

    /// <summary>Creates an exception about node <paramref name="nodeName"/>.</summary>
    public EmbeddedNodeException(string nodeName, string reason, Exception? innerException = null)
        : base($"Embedded node {nodeName}: {reason}", innerException)
    {
        NodeName = nodeName;
    }

    /// <summary>The node concerned (empty when not known).</summary>
    public string NodeName { get; }
}
