// PLACEHOLDER: the emulator's entry point is written with the server (issue 4).
return 0;
