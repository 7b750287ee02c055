// Hartmann-6 as a training script: the six coordinates come as --x0 ... --x5 arguments and the
// value is printed as `objective:<value>;` for the tuning job's metric regex. Global minimum
// -3.32237 at (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573).
const A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
const P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]].map((r) => r.map((v) => v * 1e-4))
const ALPHA = [1.0, 1.2, 3.0, 3.2]
const args = process.argv.slice(2)
const x = [0, 1, 2, 3, 4, 5].map((i) => Number(args[args.indexOf(`--x${i}`) + 1]))
let value = 0
for (let i = 0; i < 4; i++) value -= ALPHA[i] * Math.exp(-A[i].reduce((s, a, j) => s + a * (x[j] - P[i][j]) ** 2, 0))
console.log(`objective:${value};`)
