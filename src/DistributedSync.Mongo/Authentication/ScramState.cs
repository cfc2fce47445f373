namespace DistributedSync.Mongo.Authentication;

/// <summary>The steps of a <see cref="ScramConversation"/>.</summary>
public enum ScramState
{
    /// <summary>Nothing sent yet.</summary>
    Initial,

    /// <summary>The client-first message was produced; waiting for the server-first message.</summary>
    ClientFirstSent,

    /// <summary>The client-final message (with the proof) was produced; waiting for the server's signature.</summary>
    ClientFinalSent,

    /// <summary>The server's signature was verified: both sides proved they know the password.</summary>
    Complete,

    /// <summary>A step failed; the conversation cannot continue.</summary>
    Failed,
}
