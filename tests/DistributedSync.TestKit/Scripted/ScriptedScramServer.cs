using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DistributedSync.Bson;

namespace DistributedSync.TestKit.Scripted;

/// <summary>
/// The server side of SCRAM (RFC 5802, RFC 7677) for one user, written independently of the
/// client so a test can check the client against it: it answers <c>saslStart</c> and
/// <c>saslContinue</c> (and a speculative <c>saslStart</c> inside <c>hello</c>) as mongod does,
/// checks the client's proof, and proves itself with the server signature. Passwords must be
/// ASCII here (no SASLprep needed); SCRAM-SHA-1 uses MongoDB's MD5 digest of
/// <c>user:mongo:password</c>.
/// </summary>
public sealed class ScriptedScramServer
{
    private readonly string _username;
    private readonly byte[] _salt;
    private readonly int _iterations;
    private readonly Dictionary<int, Conversation> _conversations = [];
    private readonly Lock _gate = new();
    private readonly byte[] _saltedSha256;
    private readonly byte[] _saltedSha1;
    private int _lastConversationId;

    /// <summary>Creates the server side for one user.</summary>
    public ScriptedScramServer(string username, string password, int iterations = 4096, string[]? mechanisms = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        _username = username;
        _salt = RandomNumberGenerator.GetBytes(16);
        _iterations = iterations;
        Mechanisms = mechanisms ?? ["SCRAM-SHA-1", "SCRAM-SHA-256"];
        _saltedSha256 = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), _salt, iterations, HashAlgorithmName.SHA256, 32);
        var digest = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(username + ":mongo:" + password)));
        _saltedSha1 = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(digest), _salt, iterations, HashAlgorithmName.SHA1, 20);
    }

    /// <summary>The mechanisms the user has (what <c>saslSupportedMechs</c> lists).</summary>
    public IReadOnlyList<string> Mechanisms { get; }

    /// <summary>
    /// Whether to honour the client's <c>skipEmptyExchange</c> option (as MongoDB 4.4+ does);
    /// false acts like an older server that always wants a final empty exchange.
    /// </summary>
    public bool HonorSkipEmptyExchange { get; set; } = true;

    /// <summary>Conversations that ended with a verified client proof.</summary>
    public int SuccessfulAuthentications { get; private set; }

    /// <summary>Mechanisms used, in order of the conversations started.</summary>
    public List<string> MechanismsUsed { get; } = [];

    /// <summary>
    /// Answers a request if it is part of authentication: a <c>hello</c> (adds
    /// <c>saslSupportedMechs</c> and any speculative reply to <paramref name="helloReply"/>),
    /// <c>saslStart</c> or <c>saslContinue</c>. Returns null for other commands.
    /// </summary>
    public ScriptedResponse? Handle(ScriptedRequest request, BsonDocument helloReply)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(helloReply);
        var body = request.Body;
        if (ScriptedMongoServer.IsHello(request.CommandName))
        {
            var reply = helloReply.DeepClone();
            reply.Set("connectionId", request.ConnectionId);
            if (body.GetValueOrDefault("saslSupportedMechs") is BsonString)
            {
                reply.Set("saslSupportedMechs", new BsonArray(Mechanisms.Select(m => (BsonValue)m)));
            }

            if (body.GetValueOrDefault("speculativeAuthenticate") is BsonDocument speculative
                && Start(speculative) is { } speculativeReply
                && speculativeReply.GetValueOrDefault("ok")?.ToBoolean() == true)
            {
                speculativeReply.Remove("ok");
                reply.Set("speculativeAuthenticate", speculativeReply);
            }

            reply.Set("ok", 1.0);
            return ScriptedResponse.Reply(reply);
        }

        return request.CommandName switch
        {
            "saslStart" => ScriptedResponse.Reply(Start(body)),
            "saslContinue" => ScriptedResponse.Reply(Continue(body)),
            _ => null,
        };
    }

    private BsonDocument Start(BsonDocument command)
    {
        var mechanism = command.GetValueOrDefault("mechanism") is BsonString m ? m.Value : string.Empty;
        if (!Mechanisms.Contains(mechanism))
        {
            return Failure(334, "MechanismUnavailable", $"Received authentication for mechanism {mechanism} which is not enabled");
        }

        var clientFirst = Encoding.UTF8.GetString(((BsonBinaryData)command["payload"]).Bytes.Span);
        if (!clientFirst.StartsWith("n,,", StringComparison.Ordinal))
        {
            return Failure(17, "ProtocolError", "bad GS2 header");
        }

        var bare = clientFirst[3..];
        var attributes = Parse(bare);
        if (attributes.GetValueOrDefault('n') != _username)
        {
            return Failure(18, "AuthenticationFailed", "Authentication failed.");
        }

        var nonce = attributes['r'] + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var serverFirst = $"r={nonce},s={Convert.ToBase64String(_salt)},i={_iterations.ToString(CultureInfo.InvariantCulture)}";
        int id;
        lock (_gate)
        {
            id = ++_lastConversationId;
            var skip = HonorSkipEmptyExchange
                && command.GetValueOrDefault("options") is BsonDocument options
                && options.GetValueOrDefault("skipEmptyExchange")?.ToBoolean() == true;
            _conversations[id] = new Conversation(mechanism, bare, serverFirst, nonce) { SkipEmptyExchange = skip };
            MechanismsUsed.Add(mechanism);
        }

        return Payload(id, serverFirst, done: false);
    }

    private BsonDocument Continue(BsonDocument command)
    {
        var id = (int)command["conversationId"].ToInt64();
        Conversation? conversation;
        lock (_gate)
        {
            _conversations.TryGetValue(id, out conversation);
        }

        if (conversation is null)
        {
            return Failure(17, "ProtocolError", "No SASL session state found");
        }

        var payload = Encoding.UTF8.GetString(((BsonBinaryData)command["payload"]).Bytes.Span);
        if (conversation.Verified)
        {
            // The optional final empty exchange.
            return Payload(id, string.Empty, done: true);
        }

        var proofAt = payload.LastIndexOf(",p=", StringComparison.Ordinal);
        var withoutProof = payload[..proofAt];
        var attributes = Parse(payload);
        if (attributes.GetValueOrDefault('r') != conversation.Nonce || attributes.GetValueOrDefault('c') != "biws")
        {
            return Failure(18, "AuthenticationFailed", "Authentication failed.");
        }

        var sha256 = conversation.Mechanism == "SCRAM-SHA-256";
        var name = sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1;
        var salted = sha256 ? _saltedSha256 : _saltedSha1;
        var authMessage = Encoding.UTF8.GetBytes(conversation.ClientFirstBare + "," + conversation.ServerFirst + "," + withoutProof);
        var clientKey = Hmac(name, salted, "Client Key"u8.ToArray());
        var storedKey = Hash(name, clientKey);
        var signature = Hmac(name, storedKey, authMessage);
        var proof = Convert.FromBase64String(attributes['p']);
        if (proof.Length != clientKey.Length)
        {
            return Failure(18, "AuthenticationFailed", "Authentication failed.");
        }

        var recovered = new byte[proof.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            recovered[i] = (byte)(proof[i] ^ signature[i]);
        }

        if (!CryptographicOperations.FixedTimeEquals(Hash(name, recovered), storedKey))
        {
            return Failure(18, "AuthenticationFailed", "Authentication failed.");
        }

        var serverSignature = Hmac(name, Hmac(name, salted, "Server Key"u8.ToArray()), authMessage);
        conversation.Verified = true;
        lock (_gate)
        {
            SuccessfulAuthentications++;
        }

        return Payload(id, "v=" + Convert.ToBase64String(serverSignature), done: conversation.SkipEmptyExchange);
    }

    private static byte[] Hmac(HashAlgorithmName name, byte[] key, byte[] data)
        => name == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, data) : HMACSHA1.HashData(key, data);

    private static byte[] Hash(HashAlgorithmName name, byte[] data)
        => name == HashAlgorithmName.SHA256 ? SHA256.HashData(data) : SHA1.HashData(data);

    private static Dictionary<char, string> Parse(string message)
    {
        var result = new Dictionary<char, string>();
        foreach (var part in message.Split(','))
        {
            if (part.Length >= 2 && part[1] == '=')
            {
                result[part[0]] = part[2..];
            }
        }

        return result;
    }

    private static BsonDocument Payload(int conversationId, string payload, bool done) => new()
    {
        { "conversationId", conversationId },
        { "done", done },
        { "payload", new BsonBinaryData(Encoding.UTF8.GetBytes(payload)) },
        { "ok", 1.0 },
    };

    private static BsonDocument Failure(int code, string codeName, string message) => new()
    {
        { "ok", 0.0 },
        { "errmsg", message },
        { "code", code },
        { "codeName", codeName },
    };

    private sealed class Conversation(string mechanism, string clientFirstBare, string serverFirst, string nonce)
    {
        public string Mechanism { get; } = mechanism;

        public string ClientFirstBare { get; } = clientFirstBare;

        public string ServerFirst { get; } = serverFirst;

        public string Nonce { get; } = nonce;

        public bool Verified { get; set; }

        public bool SkipEmptyExchange { get; init; }
    }
}
