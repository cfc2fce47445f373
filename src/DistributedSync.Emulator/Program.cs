// The emulator node's entry point: mongod-style flags, serve until SIGTERM/SIGINT.
return await DistributedSync.Emulator.Hosting.EmulatorProgram.RunAsync(args).ConfigureAwait(false);
