-- Run once by the postgres image on an empty volume (docker-entrypoint-initdb.d).
CREATE DATABASE lintas_enrollment;
CREATE DATABASE lintas_certification;
CREATE DATABASE lintas_reporting;
