using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ComplianceHub.IntegrationTests.Database;

/// <summary>
/// A loopback TCP relay in front of PostgreSQL that the test can cut, as a database restart or a network failure would: every
/// open connection is closed at once, and while cut each new one is closed as soon as it is accepted (the client reads the end
/// of the stream during its start-up). Restored, it relays again.
/// </summary>
public sealed class TcpCut : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<Guid, (TcpClient Client, TcpClient Server)> pairs = new();
    private readonly CancellationTokenSource stop = new();
    private readonly string host;
    private readonly int port;
    private readonly Task accepting;
    private volatile bool cut;

    public TcpCut(string host, int port)
    {
        this.host = host;
        this.port = port;
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Connections accepted while cut (and closed at once).</summary>
    public int Refused { get; private set; }

    /// <summary>Closes every open connection; until <see cref="Restore"/>, new ones are closed as they come.</summary>
    public void Cut()
    {
        cut = true;
        foreach (var (id, pair) in pairs)
        {
            Close(pair);
            pairs.TryRemove(id, out _);
        }
    }

    /// <summary>Closes every open connection, but relays new ones (a restart that is already over).</summary>
    public void Drop()
    {
        Cut();
        Restore();
    }

    public void Restore() => cut = false;

    /// <summary>The same connection string, through the relay.</summary>
    /// The password is read from the credentials file for the real host and port, which name no relay.
    public string Through(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var password = builder.Password ?? Tests.Shared.TestDatabase.PasswordOf(connectionString, builder.Username!);
        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port, Password = password, Passfile = null }.ConnectionString;
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            if (cut)
            {
                Refused++;
                client.Close();
                continue;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var server = new TcpClient();
        try
        {
            await server.ConnectAsync(host, port, stop.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            client.Close();
            server.Dispose();
            return;
        }
        var id = Guid.NewGuid();
        pairs[id] = (client, server);
        var up = Pump(client.GetStream(), server.GetStream());
        var down = Pump(server.GetStream(), client.GetStream());
        await Task.WhenAny(up, down);
        Close((client, server));
        pairs.TryRemove(id, out _);
    }

    private async Task Pump(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, stop.Token)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // the other side went, or the relay was cut
        }
    }

    private static void Close((TcpClient Client, TcpClient Server) pair)
    {
        // A reset, not a graceful close: what a killed server or a broken network leaves the client with.
        foreach (var socket in new[] { pair.Client, pair.Server })
        {
            try
            {
                // A relay that ended meanwhile has closed its client already (its socket is gone): nothing to reset.
                if (socket.Client is { } open)
                {
                    open.LingerState = new LingerOption(true, 0);
                }
                socket.Close();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        Cut();
        await accepting;
        stop.Dispose();
    }
}
