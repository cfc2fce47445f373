using System.Net.Sockets;
using System.Security.Authentication;
using DistributedSync.Bson;
using DistributedSync.Mongo.Authentication;
using DistributedSync.Wire;

namespace DistributedSync.Mongo.Connections;

/// <summary>
/// Opens ready-to-use connections to one server: TCP (and TLS), the <c>hello</c> handshake with
/// client metadata, then authentication when a credential is configured (begun speculatively
/// inside <c>hello</c>, which saves a round trip on servers that support it). The whole sequence
/// is bounded by the connect timeout. Each handshake's round trip feeds the server's average.
/// </summary>
internal sealed class ConnectionFactory
{
    private readonly ConnectionSettings _settings;
    private readonly BsonDocument _clientMetadata;
    private readonly RoundTripTimeAverage _roundTrip;
    private readonly Action<ServerDescription>? _onDescription;
    private long _lastId;

    /// <summary>Creates the factory; <paramref name="onDescription"/> sees every handshake's result.</summary>
    public ConnectionFactory(ConnectionSettings settings, RoundTripTimeAverage roundTrip, Action<ServerDescription>? onDescription = null)
    {
        _settings = settings;
        _roundTrip = roundTrip;
        _onDescription = onDescription;
        _clientMetadata = ClientMetadata.Create(settings.ApplicationName);
    }

    /// <summary>The settings connections are opened with.</summary>
    public ConnectionSettings Settings => _settings;

    /// <summary>Opens, handshakes and authenticates a new connection.</summary>
    /// <exception cref="MongoConnectionException">The server could not be reached or the handshake broke.</exception>
    /// <exception cref="MongoTimeoutException">It took longer than the connect timeout (<see cref="MongoTimeoutKind.Connect"/>).</exception>
    /// <exception cref="MongoCommandException">The server refused the handshake.</exception>
    /// <exception cref="MongoClientException">The server's wire version is not supported.</exception>
    /// <exception cref="MongoAuthenticationException">Authentication failed.</exception>
    public async Task<MongoConnection> OpenAsync(int generation, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _lastId);
        var time = _settings.TimeProvider;
        var started = time.GetTimestamp();
        var limit = _settings.ConnectTimeout;

        Stream stream;
        Socket socket;
        using (var connectCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            if (limit > TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan)
            {
                connectCts.CancelAfter(limit);
            }

            try
            {
                (stream, socket) = await TransportFactory.OpenAsync(_settings, connectCts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw ConnectTimeout(ex);
            }
            catch (Exception ex) when (ex is SocketException or IOException or AuthenticationException or System.Security.Cryptography.CryptographicException)
            {
                throw new MongoConnectionException(_settings.Endpoint, $"Cannot connect to {_settings.Endpoint}: {ex.Message}", ex) { DuringHandshake = true };
            }
        }

        var connection = new MongoConnection(id, generation, _settings.Endpoint, stream, socket, _settings.SocketTimeout, time);
        try
        {
            await HandshakeAsync(connection, started, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (MongoTimeoutException ex) when (ex.Kind == MongoTimeoutKind.Socket)
        {
            connection.Close("handshake timed out");
            throw ConnectTimeout(ex);
        }
        catch (MongoConnectionException ex)
        {
            connection.Close("handshake failed");
            throw new MongoConnectionException(ex.Endpoint, "The handshake failed. " + ex.Message, ex.InnerException)
            {
                DuringHandshake = true,
                IsProtocolError = ex.IsProtocolError,
            };
        }
        catch
        {
            connection.Close("handshake failed");
            throw;
        }
    }

    private async Task HandshakeAsync(MongoConnection connection, long started, CancellationToken cancellationToken)
    {
        var credential = _settings.Credential;
        var hello = Handshake.CreateHelloCommand(_clientMetadata, credential);
        var speculative = CreateSpeculativeConversation(credential);
        if (speculative is not null)
        {
            hello.Add("speculativeAuthenticate", SaslCommands.CreateSpeculativeSaslStart(
                speculative.MechanismName, speculative.CreateClientFirstMessage(), credential!.Source));
        }

        var time = _settings.TimeProvider;
        var sent = time.GetTimestamp();
        var reply = await connection.ExchangeAsync(
            CommandMessage.Create(Handshake.Database, hello), Remaining(started), cancellationToken).ConfigureAwait(false);
        var average = _roundTrip.AddSample(time.GetElapsedTime(sent));
        if (!CommandReplies.IsOk(reply))
        {
            throw MongoCommandException.FromReply("hello", reply);
        }

        var description = ServerDescription.FromHelloReply(_settings.Endpoint, reply, average, time.GetUtcNow());
        Handshake.CheckCompatibility(description);
        connection.SetDescription(description);
        _onDescription?.Invoke(description);

        if (credential is null)
        {
            return;
        }

        Task<BsonDocument> RunAuthCommand(BsonDocument command, CancellationToken token)
            => connection.ExchangeAsync(CommandMessage.Create(credential.Source, command), Remaining(started), token);

        if (speculative is not null && reply.GetValueOrDefault("speculativeAuthenticate") is BsonDocument speculativeReply)
        {
            await SaslConversationRunner.AuthenticateAsync(speculative, RunAuthCommand, speculativeReply, cancellationToken).ConfigureAwait(false);
            return;
        }

        var conversation = SaslMechanismNegotiation.CreateConversation(credential, reply);
        await SaslConversationRunner.AuthenticateAsync(conversation, RunAuthCommand, null, cancellationToken).ConfigureAwait(false);
    }

    private static ScramConversation? CreateSpeculativeConversation(MongoCredential? credential)
    {
        if (credential is null || string.IsNullOrEmpty(credential.Username) || credential.Password is null)
        {
            return null;
        }

        // Without an explicit mechanism, drivers speculate with SCRAM-SHA-256 (the 4.0+ default).
        var mechanism = credential.Mechanism ?? MongoAuthMechanisms.ScramSha256;
        return mechanism is MongoAuthMechanisms.ScramSha256 or MongoAuthMechanisms.ScramSha1
            ? SaslMechanismNegotiation.CreateConversation(credential.WithMechanism(mechanism), null)
            : null;
    }

    private TimeSpan? Remaining(long started)
    {
        var limit = _settings.ConnectTimeout;
        if (limit <= TimeSpan.Zero || limit == Timeout.InfiniteTimeSpan)
        {
            return _settings.SocketTimeout;
        }

        var left = limit - _settings.TimeProvider.GetElapsedTime(started);
        return left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1);
    }

    private MongoTimeoutException ConnectTimeout(Exception inner)
        => new(
            MongoTimeoutKind.Connect,
            _settings.Endpoint,
            _settings.ConnectTimeout,
            $"Connecting to {_settings.Endpoint} took longer than the connect timeout of {_settings.ConnectTimeout.TotalMilliseconds:0} ms.",
            inner);
}
