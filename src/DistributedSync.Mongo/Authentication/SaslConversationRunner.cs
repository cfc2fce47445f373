using DistributedSync.Bson;

namespace DistributedSync.Mongo.Authentication;

/// <summary>
/// Drives a <see cref="ScramConversation"/> through saslStart/saslContinue using a command
/// delegate supplied by the connection layer (which sends each document to the credential's source
/// database and returns the reply). Handles both the short conversation (servers honouring
/// <c>skipEmptyExchange</c>) and the older one with a final empty exchange, and a conversation
/// begun speculatively in <c>hello</c>.
/// </summary>
public static class SaslConversationRunner
{
    /// <summary>Runs the conversation to completion.</summary>
    /// <param name="conversation">A fresh conversation, or one whose client-first message went into a speculative hello.</param>
    /// <param name="runCommand">Sends a command to the source database and returns the reply document.</param>
    /// <param name="speculativeReply">The <c>speculativeAuthenticate</c> document from the hello reply, if any.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <exception cref="MongoAuthenticationException">Authentication failed.</exception>
    public static async Task AuthenticateAsync(
        ScramConversation conversation,
        Func<BsonDocument, CancellationToken, Task<BsonDocument>> runCommand,
        BsonDocument? speculativeReply = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(runCommand);
        var mechanism = conversation.MechanismName;

        SaslReply reply;
        if (speculativeReply is not null)
        {
            if (conversation.State != ScramState.ClientFirstSent)
            {
                throw new InvalidOperationException("A speculative reply needs a conversation whose client-first message was sent in hello.");
            }

            reply = SaslCommands.ParseReply(speculativeReply, mechanism);
        }
        else
        {
            var start = SaslCommands.CreateSaslStart(mechanism, conversation.CreateClientFirstMessage());
            reply = SaslCommands.ParseReply(await runCommand(start, cancellationToken).ConfigureAwait(false), mechanism);
        }

        if (reply.Done)
        {
            throw new MongoAuthenticationException(mechanism, "the server ended the conversation before the client sent its proof.");
        }

        var clientFinal = conversation.ProcessServerFirstMessage(reply.Payload.Span);
        reply = SaslCommands.ParseReply(
            await runCommand(SaslCommands.CreateSaslContinue(reply.ConversationId, clientFinal), cancellationToken).ConfigureAwait(false),
            mechanism);
        conversation.VerifyServerFinalMessage(reply.Payload.Span);

        if (!reply.Done)
        {
            // Servers before 4.4 (or ignoring skipEmptyExchange) want one more, empty, exchange.
            reply = SaslCommands.ParseReply(
                await runCommand(SaslCommands.CreateSaslContinue(reply.ConversationId, []), cancellationToken).ConfigureAwait(false),
                mechanism);
            if (!reply.Done)
            {
                throw new MongoAuthenticationException(mechanism, "the server did not finish the conversation after the final empty exchange.");
            }
        }
    }
}
