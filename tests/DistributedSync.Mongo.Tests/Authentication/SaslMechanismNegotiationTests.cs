using DistributedSync.Bson;
using DistributedSync.Mongo.Authentication;
using Xunit;

namespace DistributedSync.Mongo.Tests.Authentication;

public sealed class SaslMechanismNegotiationTests
{
    public static TheoryData<string[]?, string> Lists => new()
    {
        { new[] { "SCRAM-SHA-1", "SCRAM-SHA-256" }, "SCRAM-SHA-256" },
        { new[] { "SCRAM-SHA-256" }, "SCRAM-SHA-256" },
        { new[] { "SCRAM-SHA-1" }, "SCRAM-SHA-1" },
        { new[] { "PLAIN" }, "SCRAM-SHA-1" },
        { Array.Empty<string>(), "SCRAM-SHA-1" },
        { null, "SCRAM-SHA-1" },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public void Hello_reply_decides_the_default(string[]? mechanisms, string expected)
    {
        var hello = new BsonDocument("isWritablePrimary", true);
        if (mechanisms is not null)
        {
            hello.Add("saslSupportedMechs", new BsonArray(mechanisms.Select(m => (BsonValue)m)));
        }

        Assert.Equal(expected, SaslMechanismNegotiation.SelectDefaultMechanism(hello));
        Assert.Equal(expected, SaslMechanismNegotiation.SelectDefaultMechanism(mechanisms));
    }

    [Fact]
    public void Query_is_source_dot_unmodified_user_name()
    {
        var credential = MongoCredential.CreateScram("\u2168", "pw", "admin");

        Assert.Equal("admin.\u2168", SaslMechanismNegotiation.CreateSaslSupportedMechsQuery(credential));
    }

    [Fact]
    public void Conversation_follows_negotiation_unless_the_credential_names_a_mechanism()
    {
        var hello = new BsonDocument("saslSupportedMechs", new BsonArray { "SCRAM-SHA-1", "SCRAM-SHA-256" });
        var negotiated = MongoCredential.CreateScram("user", "pencil");
        var pinned = negotiated.WithMechanism(MongoAuthMechanisms.ScramSha1);

        Assert.IsType<ScramSha256>(SaslMechanismNegotiation.CreateConversation(negotiated, hello));
        Assert.IsType<ScramSha1>(SaslMechanismNegotiation.CreateConversation(pinned, hello));
        Assert.IsType<ScramSha1>(SaslMechanismNegotiation.CreateConversation(negotiated, helloReply: null));
    }

    [Fact]
    public void Other_mechanisms_are_not_supported()
    {
        var credential = new MongoCredential("user", "pw", "$external", MongoAuthMechanisms.Plain);

        Assert.Throws<NotSupportedException>(() => SaslMechanismNegotiation.CreateConversation(credential, helloReply: null));
    }

    [Fact]
    public void Conversation_needs_a_password()
    {
        var credential = new MongoCredential("user", null, "admin");

        var ex = Assert.Throws<MongoAuthenticationException>(() => SaslMechanismNegotiation.CreateConversation(credential, helloReply: null));
        Assert.Equal(MongoAuthMechanisms.ScramSha1, ex.Mechanism);
    }
}
