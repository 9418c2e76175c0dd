const http = require('node:http');
const server = http.createServer((_req, res) => res.end('hello from a container\n'));
server.listen(8080, () => console.log('listening on 8080'));
