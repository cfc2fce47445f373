using DistributedSync.Bson;
using DistributedSync.Mongo.Authentication;
using Xunit;
using static DistributedSync.Mongo.Tests.Authentication.ScramTestData;

namespace DistributedSync.Mongo.Tests.Authentication;

public sealed class SaslCommandsTests
{
    [Fact]
    public void SaslStart_has_the_auth_spec_shape()
    {
        var command = SaslCommands.CreateSaslStart("SCRAM-SHA-1", Bytes("n,,n=user,r=" + Rfc5802ClientNonce));

        Assert.Equal(["saslStart", "mechanism", "payload", "options"], command.Names);
        Assert.Equal(BsonInt32.Create(1), command["saslStart"]);
        Assert.Equal("SCRAM-SHA-1", command["mechanism"].AsString);
        var payload = command["payload"].As<BsonBinaryData>();
        Assert.Equal(BsonBinarySubtype.Generic, payload.Subtype);
        Assert.Equal("biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM", Convert.ToBase64String(payload.Bytes.Span));
        Assert.Equal(new BsonDocument("skipEmptyExchange", true), command["options"]);
    }

    [Fact]
    public void SaslContinue_echoes_the_conversation_id()
    {
        var command = SaslCommands.CreateSaslContinue(BsonInt32.Create(7), Bytes(MongoSha1ClientFinal));

        Assert.Equal(["saslContinue", "conversationId", "payload"], command.Names);
        Assert.Equal(BsonInt32.Create(1), command["saslContinue"]);
        Assert.Equal(BsonInt32.Create(7), command["conversationId"]);
        Assert.Equal(
            "Yz1iaXdzLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdMSG8rVmdrN3F2VU9LVXd1V0xJV2c0bC85U3JhR01IRUUscD1NQzJUOEJ2Ym1XUmNrRHc4b1dsNUlWZ2h3Q1k9",
            Convert.ToBase64String(command["payload"].As<BsonBinaryData>().Bytes.Span));
    }

    [Fact]
    public void Speculative_saslStart_names_the_database()
    {
        var command = SaslCommands.CreateSpeculativeSaslStart("SCRAM-SHA-256", Bytes("n,,n=user,r=x"), "admin");

        Assert.Equal(["saslStart", "mechanism", "payload", "options", "db"], command.Names);
        Assert.Equal("admin", command["db"].AsString);
    }

    [Fact]
    public void Reply_with_binary_payload_is_parsed()
    {
        var reply = new BsonDocument()
            .Add("conversationId", 1)
            .Add("done", false)
            .Add("payload", new BsonBinaryData(Bytes(MongoSha1ServerFirst)))
            .Add("ok", 1.0);

        var parsed = SaslCommands.ParseReply(reply, "SCRAM-SHA-1");

        Assert.Equal(BsonInt32.Create(1), parsed.ConversationId);
        Assert.False(parsed.Done);
        Assert.Equal(MongoSha1ServerFirst, Text(parsed.Payload.ToArray()));
    }

    [Fact]
    public void Reply_with_base64_string_payload_is_parsed()
    {
        var reply = new BsonDocument()
            .Add("conversationId", 3)
            .Add("done", true)
            .Add("payload", "dj1VTVdlSTI1SkQxeU5ZWlJNcFo0Vkh2aFo5ZTA9")
            .Add("ok", 1);

        var parsed = SaslCommands.ParseReply(reply, "SCRAM-SHA-1");

        Assert.True(parsed.Done);
        Assert.Equal(MongoSha1ServerFinal, Text(parsed.Payload.ToArray()));
    }

    [Fact]
    public void Failed_reply_becomes_an_authentication_exception()
    {
        var reply = new BsonDocument()
            .Add("ok", 0.0)
            .Add("errmsg", "Authentication failed.")
            .Add("code", 18);

        var ex = Assert.Throws<MongoAuthenticationException>(() => SaslCommands.ParseReply(reply, "SCRAM-SHA-256"));

        Assert.Contains("Authentication failed.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("18", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reply_without_conversation_id_is_rejected()
        => Assert.Throws<MongoAuthenticationException>(
            () => SaslCommands.ParseReply(new BsonDocument("ok", 1), "SCRAM-SHA-256"));
}
