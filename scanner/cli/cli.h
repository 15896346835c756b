/* cli.h -- the subcommands of the piiscan command line. */
#ifndef PIISCAN_CLI_H
#define PIISCAN_CLI_H

int cmd_scan(int argc, char **argv);
int cmd_types(int argc, char **argv);

#endif
