/* Stands in for another TCP/IP stack linked into the same program (lwIP has
 * ip_input, tcp_input, tcp_output): global functions under names glasstcp
 * uses internally. Linked beside the installed libglasstcp.a, they must
 * neither clash with glasstcp's nor be called by it. */
int ip_input(const void *pkt, unsigned len);
int tcp_input(const void *seg, unsigned len);
int tcp_output(void *pcb);

int other_stack_calls;

int ip_input(const void *pkt, unsigned len)
{
	(void)pkt, (void)len;
	other_stack_calls++;
	return 4;
}

int tcp_input(const void *seg, unsigned len)
{
	(void)seg, (void)len;
	other_stack_calls++;
	return 6;
}

int tcp_output(void *pcb)
{
	(void)pcb;
	other_stack_calls++;
	return 7;
}
