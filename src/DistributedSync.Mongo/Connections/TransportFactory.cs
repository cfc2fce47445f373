using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using DistributedSync.Mongo.Configuration;

namespace DistributedSync.Mongo.Connections;

/// <summary>
/// Opens the byte stream under a connection: a TCP socket with Nagle's algorithm off, wrapped
/// in TLS when asked. Tries each resolved address in turn.
/// </summary>
internal static class TransportFactory
{
    /// <summary>Connects to the server; the caller bounds the time through <paramref name="cancellationToken"/>.</summary>
    /// <returns>The stream to use and the socket under it.</returns>
    public static async Task<(Stream Stream, Socket Socket)> OpenAsync(ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var socket = await ConnectSocketAsync(settings, cancellationToken).ConfigureAwait(false);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (!settings.Tls)
        {
            return (stream, socket);
        }

        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = settings.Server.Host,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = CreateValidator(settings),
            };
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return (ssl, socket);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<Socket> ConnectSocketAsync(ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var server = settings.Server;
        if (server.Type == MongoHostType.UnixSocket)
        {
            var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await unix.ConnectAsync(new UnixDomainSocketEndPoint(server.Host), cancellationToken).ConfigureAwait(false);
                return unix;
            }
            catch
            {
                unix.Dispose();
                throw;
            }
        }

        IPAddress[] addresses = IPAddress.TryParse(server.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(server.Host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                await socket.ConnectAsync(new IPEndPoint(address, server.Port), cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    private static RemoteCertificateValidationCallback CreateValidator(ConnectionSettings settings)
    {
        if (settings.TlsAllowInvalidCertificates)
        {
            return static (_, _, _, _) => true;
        }

        X509Certificate2Collection? authorities = null;
        if (settings.TlsCAFile is { } caFile)
        {
            authorities = [];
            authorities.ImportFromPemFile(caFile);
        }

        var allowNameMismatch = settings.TlsAllowInvalidHostnames;
        return (_, certificate, chain, errors) =>
        {
            if (allowNameMismatch)
            {
                errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
            }

            if (authorities is null)
            {
                return errors == SslPolicyErrors.None;
            }

            // With a CA file, only its authorities are trusted, whatever the system store says.
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
            {
                return false;
            }

            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            using var leaf = new X509Certificate2(certificate);
            return custom.Build(leaf);
        };
    }
}
