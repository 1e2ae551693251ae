// SPDX-License-Identifier: GPL-2.0
/*
 * controld-client: talk to ocfs2_controld's socket the way mount.ocfs2
 * does, or badly on purpose, for lab scenarios.
 *   controld-client MSG [MSG...]     one connection, messages in order
 * MSG is the text of one message ("LISTCLUSTERS ", "MOUNT ocfs2 ..."),
 * NUL padded to 256 bytes; after each, the replies are printed one per
 * line (a list: ITEMCOUNT, the ITEMs, STATUS; otherwise STATUS).  Special
 * MSGs: @bytes:N sends N random bytes, @nowait:TEXT sends without
 * reading a reply, @sleep:S pauses.  Exit 0 unless the connection fails;
 * "closed" is printed when the daemon hangs up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#define MSG_LEN 256
#define SOCK_NAME "ocfs2_controld_sock"

static int connect_daemon(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	memcpy(a.sun_path + 1, SOCK_NAME, strlen(SOCK_NAME));
	if (fd < 0 || connect(fd, (struct sockaddr *)&a,
			      sizeof(sa_family_t) + 1 + strlen(SOCK_NAME))) {
		perror("controld-client: connect @" SOCK_NAME);
		exit(2);
	}
	return fd;
}

static int read_msg(int fd, char *buf)
{
	size_t have = 0;

	while (have < MSG_LEN) {
		ssize_t n = read(fd, buf + have, MSG_LEN - have);

		if (n <= 0)
			return -1;
		have += n;
	}
	buf[MSG_LEN - 1] = '\0';
	return 0;
}

/* Print replies up to and including STATUS; -1 when the daemon hung up. */
static int read_replies(int fd)
{
	char buf[MSG_LEN];

	for (;;) {
		if (read_msg(fd, buf)) {
			printf("closed\n");
			return -1;
		}
		printf("%s\n", buf);
		if (!strncmp(buf, "STATUS ", 7))
			return 0;
	}
}

static void send_text(int fd, const char *text)
{
	char buf[MSG_LEN] = { 0 };

	memcpy(buf, text, strnlen(text, MSG_LEN));
	if (write(fd, buf, MSG_LEN) != MSG_LEN) {
		printf("closed\n");
		exit(0);
	}
}

static void send_random(int fd, int n)
{
	char buf[4096];
	int i;

	if (n > (int)sizeof(buf))
		n = sizeof(buf);
	for (i = 0; i < n; i++)
		buf[i] = rand();
	if (write(fd, buf, n) != n)
		printf("closed\n");
}

int main(int argc, char **argv)
{
	int fd = connect_daemon(), i;

	srand(getpid());
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		const char *m = argv[i];

		if (!strncmp(m, "@sleep:", 7)) {
			sleep(atoi(m + 7));
		} else if (!strncmp(m, "@nowait:", 8)) {
			send_text(fd, m + 8);
		} else if (!strncmp(m, "@bytes:", 7)) {
			send_random(fd, atoi(m + 7));
			if (atoi(m + 7) % MSG_LEN == 0 && read_replies(fd))
				return 0;
		} else {
			send_text(fd, m);
			if (read_replies(fd))
				return 0;
		}
	}
	close(fd);
	return 0;
}
