/**
 * The dashboard's prediction form goes through a serving app, so a prediction from the page is
 * an invocation like any other: the same input parsing, limits and members' predictions, counted
 * in the endpoint's usage.
 */

/**
 * An `invoke` for {@link createDashboard} that forwards to `fetch`'s `POST /endpoints/NAME/invocations?members=true`.
 * @example createDashboard({ store, invoke: forwardInvocations((r) => servingApp.fetch(r)) })
 */
export function forwardInvocations(fetch: (request: Request) => Response | Promise<Response>): (name: string, request: Request) => Promise<Response> {
  return async (name, request) => {
    const url = `http://localhost/endpoints/${encodeURIComponent(name)}/invocations?members=true`
    // The body streams through as it arrives; the invocation's own limit applies to it.
    const init = { method: 'POST', headers: request.headers, body: request.body, duplex: 'half' } as RequestInit
    return fetch(new Request(url, init))
  }
}
