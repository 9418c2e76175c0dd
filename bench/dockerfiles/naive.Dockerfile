# (b) The naive single-stage Dockerfile most tutorials start from, for the generated app.
# One stage on the full node image; the whole context copied in; every dependency
# (devDependencies included) installed with `npm install`; TypeScript compiled in place;
# started through npm in shell form (so /bin/sh and npm sit in front of node as PID 1).
FROM node:24-bookworm
WORKDIR /usr/src/app
COPY . .
RUN npm install && npm run build
EXPOSE 3000
CMD npm start
